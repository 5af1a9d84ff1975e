"""Under forkserver the children are forked from a server that imported this module: a client made
at import and kept as a function's attribute is the server's, shared by every child."""
import multiprocessing

import boto3


def get_s3_client():
    return get_s3_client.cached  # expect: FS101 "get_s3_client.cached" "forkserver"


get_s3_client.cached = boto3.client("s3")
get_s3_client.cached.head_bucket(Bucket="bundles")


def list_prefix(prefix):
    return get_s3_client().list_objects_v2(Bucket="bundles", Prefix=prefix)


if __name__ == "__main__":
    with multiprocessing.get_context("forkserver").Pool(2, initializer=get_s3_client) as pool:
        print(pool.map(list_prefix, ["00", "01"]))
