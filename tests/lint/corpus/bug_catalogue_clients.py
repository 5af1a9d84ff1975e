"""Clients beyond the DB-API drivers: an AWS client and an Elasticsearch client the parent has used
(HTTP clients connect on their first request), a Kafka producer and a gRPC channel, each made at
import and used by a forked child."""
import multiprocessing

import boto3
import grpc
from confluent_kafka import Producer
from elasticsearch import Elasticsearch
from sqlmodel import create_engine

s3 = boto3.client("s3")
producer = Producer({"bootstrap.servers": "kafka:9092"})
channel = grpc.insecure_channel("search:50051")
search = Elasticsearch("http://es:9200")
engine = create_engine("postgresql://db/app")
s3.list_buckets()
search.info()


def upload(name):
    s3.upload_file(name, "bucket", name)  # expect: FS101 "AWS client" "boto3.client() made at line 12"


def publish(message):
    producer.produce("events", message)  # expect: FS101 "Kafka client"


def lookup(key):
    return channel.unary_unary("/Search/Get")(key)  # expect: FS101 "gRPC channel"


def index(doc):
    search.index(index="docs", document=doc)  # expect: FS101 "Elasticsearch client"


def count(table):
    with engine.connect() as conn:  # expect: FS101 "sqlmodel.create_engine() made at line 16"
        return conn.exec_driver_sql(f"select count(*) from {table}").scalar()


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        pool.map(upload, ["a", "b"])
        pool.map(publish, ["x"])
        pool.map(lookup, ["k"])
        pool.map(index, [{}])
        pool.map(count, ["t"])
