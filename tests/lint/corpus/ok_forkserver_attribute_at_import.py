"""Under forkserver the children are forked from a server that imported this module, which made no
client: the attribute is filled by each worker's initializer."""
import multiprocessing

import boto3


def get_s3_client():
    if get_s3_client.cached is None:
        get_s3_client.cached = boto3.client("s3")
    return get_s3_client.cached


get_s3_client.cached = None


def list_prefix(prefix):
    return get_s3_client().list_objects_v2(Bucket="bundles", Prefix=prefix)


if __name__ == "__main__":
    get_s3_client().head_bucket(Bucket="bundles")
    with multiprocessing.get_context("forkserver").Pool(2, initializer=get_s3_client) as pool:
        print(pool.map(list_prefix, ["00", "01"]))
