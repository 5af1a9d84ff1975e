"""The start method is a setting read from the environment, and its default is forkserver: the pool's
initializer fills the cached client in each worker, which the forkserver's fresh import left empty
(disdat's S3 helpers)."""
import os
from multiprocessing import get_context

import boto3

MP_CONTEXT_TYPE = os.environ.get("MP_CONTEXT_TYPE", "forkserver")


def get_s3_client():
    if get_s3_client.cached is None:
        get_s3_client.cached = boto3.client("s3")
    return get_s3_client.cached


get_s3_client.cached = None


def list_prefix(prefix):
    return get_s3_client().list_objects_v2(Bucket="bundles", Prefix=prefix)


def list_all(prefixes):
    get_s3_client().head_bucket(Bucket="bundles")
    with get_context(MP_CONTEXT_TYPE).Pool(4, initializer=get_s3_client) as pool:
        return pool.map(list_prefix, prefixes)


if __name__ == "__main__":
    print(list_all(["00", "01"]))
