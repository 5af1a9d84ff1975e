"""Clients of libraries the catalogue does not know, which the program connects itself: an MQTT
client of a vendor SDK connected in the parent and handed to the children, and a raw socket the
parent connected and the pool workers write to. A catalogue client connected again in the parent
(``client.connect(host)``) is still the parent's."""
import multiprocessing
import socket

import paho.mqtt.client as mqtt
import vendor_iot


def publish(client, n):
    client.publish("sensors", str(n))


def send(line):
    sock.sendall(line.encode())  # expect: FS101 "connected client 'sock'" "sock.connect() at line 26"


def report(n):
    paho.publish("status", str(n))  # expect: FS101 "MQTT client" "paho.mqtt.client.Client() made at line 28"


if __name__ == "__main__":
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(("collector", 9000))
    client = vendor_iot.get_client("product", "device", secure_mode=3)
    paho = mqtt.Client()
    client.on_message = print
    client.connect(host="iot.example.com", port=1883, keepalive=60)
    paho.connect("broker", 1883, 60)
    worker = multiprocessing.Process(
        target=publish, args=(client, 1))  # expect: FS102 "made at line 27" "client.connect() at line 30"
    worker.start()
    with multiprocessing.Pool(2) as pool:
        pool.map(send, ["a", "b"])
        pool.map(report, [1, 2])
