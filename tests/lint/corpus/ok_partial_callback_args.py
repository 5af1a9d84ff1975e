"""The fix: the child opens its own connection and acknowledges on it; only the tag crosses."""
import functools
import multiprocessing

import pika

PARAMETERS = pika.ConnectionParameters("localhost")


def do_work(delivery_tag, body):
    connection = pika.BlockingConnection(PARAMETERS)
    connection.channel().basic_ack(delivery_tag)


def on_message(channel, method_frame, header_frame, body, args):
    (_parameters, workers) = args
    worker = multiprocessing.Process(target=do_work, args=(method_frame.delivery_tag, body))
    worker.start()
    workers.append(worker)


connection = pika.BlockingConnection(PARAMETERS)
channel = connection.channel()
workers = []
channel.basic_consume("standard", functools.partial(on_message, args=(PARAMETERS, workers)))
channel.start_consuming()
