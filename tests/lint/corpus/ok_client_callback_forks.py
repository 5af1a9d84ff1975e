"""The fix: the child opens its own websocket; the parent's handler hands it only the address."""
import multiprocessing
import time

import websocket

URL = "ws://feed.example.com"


def heartbeat(url):
    ws = websocket.create_connection(url)
    while True:
        ws.send("ping")
        time.sleep(30)


def on_open(ws):
    multiprocessing.Process(target=heartbeat, args=(URL,)).start()


if __name__ == "__main__":
    app = websocket.WebSocketApp(URL, on_open=on_open)
    app.run_forever()
