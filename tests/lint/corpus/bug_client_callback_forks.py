"""An event-driven client calls its handlers with itself: the websocket's ``on_open`` handler
starts a child with the connected socket, and the child sends over it while the parent reads."""
import multiprocessing
import time

import websocket


def heartbeat(ws):
    while True:
        ws.send("ping")
        time.sleep(30)


def on_open(ws):
    child = multiprocessing.Process(target=heartbeat, args=(ws,))  # expect: FS102 "given to its handler"
    child.start()


if __name__ == "__main__":
    app = websocket.WebSocketApp("ws://feed.example.com", on_open=on_open)
    app.run_forever()
