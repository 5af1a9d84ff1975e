"""Safe twin: every worker makes its own AWS client, producer, channel and search client."""
import multiprocessing

import boto3
import grpc
from confluent_kafka import Producer
from elasticsearch import Elasticsearch


def upload(name):
    boto3.client("s3").upload_file(name, "bucket", name)


def publish(message):
    Producer({"bootstrap.servers": "kafka:9092"}).produce("events", message)


def lookup(key):
    with grpc.insecure_channel("search:50051") as channel:
        return channel.unary_unary("/Search/Get")(key)


def index(doc):
    Elasticsearch("http://es:9200").index(index="docs", document=doc)


if __name__ == "__main__":
    boto3.client("s3").list_buckets()
    with multiprocessing.Pool(4) as pool:
        pool.map(upload, ["a", "b"])
        pool.map(publish, ["x"])
        pool.map(lookup, ["k"])
        pool.map(index, [{}])
