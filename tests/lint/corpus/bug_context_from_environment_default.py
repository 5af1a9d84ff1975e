"""The start method is a setting read from the environment, and its default is fork: the parent
filled the cached client (``head_bucket``) before the pool, so each worker's initializer returns the
client, and the HTTPS connection, it inherited."""
import os
from multiprocessing import get_context

import boto3

MP_CONTEXT_TYPE = os.environ.get("MP_CONTEXT_TYPE", "fork")


def get_s3_client():
    if get_s3_client.cached is None:
        get_s3_client.cached = boto3.client("s3")
    return get_s3_client.cached  # expect: FS101 "get_s3_client.cached" "initializer"


get_s3_client.cached = None


def list_prefix(prefix):
    return get_s3_client().list_objects_v2(Bucket="bundles", Prefix=prefix)


def list_all(prefixes):
    get_s3_client().head_bucket(Bucket="bundles")
    with get_context(MP_CONTEXT_TYPE).Pool(4, initializer=get_s3_client) as pool:
        return pool.map(list_prefix, prefixes)


if __name__ == "__main__":
    print(list_all(["00", "01"]))
