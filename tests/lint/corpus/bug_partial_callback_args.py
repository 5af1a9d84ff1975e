"""pika's threaded-consumer example with the thread swapped for a process: the connection reaches
``on_message`` through ``functools.partial(..., args=(connection, workers))`` and then each child."""
import functools
import multiprocessing

import pika


def do_work(connection, channel, delivery_tag, body):
    connection.add_callback_threadsafe(functools.partial(channel.basic_ack, delivery_tag))


def on_message(channel, method_frame, header_frame, body, args):
    (connection, workers) = args
    tag = method_frame.delivery_tag
    given = (connection, channel, tag, body)
    worker = multiprocessing.Process(target=do_work, args=given)  # expect: FS102 "on_message()"
    worker.start()
    workers.append(worker)


connection = pika.BlockingConnection(pika.ConnectionParameters("localhost"))
channel = connection.channel()
workers = []
channel.basic_consume("standard", functools.partial(on_message, args=(connection, workers)))
channel.start_consuming()
