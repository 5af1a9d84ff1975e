"""The fix: each child connects its own client (the parent only builds its configuration), and a
signal's ``connect(handler)`` connects no socket at all."""
import multiprocessing
import socket

import blinker
import vendor_iot

saved = blinker.signal("saved")


def on_saved(sender):
    print(sender)


def publish(n):
    client = vendor_iot.get_client("product", "device", secure_mode=3)
    client.connect(host="iot.example.com", port=1883, keepalive=60)
    client.publish("sensors", str(n))
    saved.send(n)


def send(line):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(("collector", 9000))
    sock.sendall(line.encode())


if __name__ == "__main__":
    saved.connect(on_saved)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    worker = multiprocessing.Process(target=publish, args=(1,))
    worker.start()
    with multiprocessing.Pool(2) as pool:
        pool.map(send, ["a", "b"])
