"""A Docker client held by an object (self.client from __init__): a container made through it in the
parent is handed to a child process, which talks to the daemon over the parent's keep-alive socket."""
import multiprocessing as mp

import docker


class ContainerHandler:
    def __init__(self):
        self.client = docker.from_env()

    def run_container(self, image):
        container = self.client.containers.create(image=image, detach=True)
        container.start()
        p = mp.Process(target=self.watch, args=(container,))  # expect: FS102 "containers.create"
        p.start()
        return p

    def watch(self, container):
        for line in container.logs(stream=True):
            print(line)
