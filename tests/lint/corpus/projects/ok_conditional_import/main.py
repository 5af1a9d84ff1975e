from multiprocessing import Process, Queue

from store.datastore import store_data

if __name__ == "__main__":
    queue = Queue()
    Process(target=store_data, args=(queue,)).start()
