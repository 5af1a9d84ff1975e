"""The parent declares its queues on the connection, then hands it to the launcher (a module that
imports ``multiprocessing`` itself, to terminate the children)."""
from multiprocessing import Process

from amqp_broker.rabbit_connections import get_rabbitmq_connection
from consumer_launch.consumer_processes import start_module_processes

if __name__ == "__main__":
    with get_rabbitmq_connection() as conn:
        with conn.channel() as channel:
            channel.exchange_declare("users", "topic")
        processes: list[Process] = start_module_processes(conn, "users")
        for p in processes:
            p.join()
