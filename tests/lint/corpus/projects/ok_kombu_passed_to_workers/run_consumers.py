"""The connection handed to the launcher is never used in the parent (kombu connects on first use,
and the workers declare their own queues), so each child opens a connection of its own."""
from multiprocessing import Process

from amqp_broker.rabbit_connections import get_rabbitmq_connection
from consumer_launch.consumer_processes import start_module_processes

if __name__ == "__main__":
    with get_rabbitmq_connection() as conn:
        processes: list[Process] = start_module_processes(conn, "users")
        for p in processes:
            p.join()
