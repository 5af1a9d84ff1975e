"""Safe twin: the child gets the container id and makes its own client."""
import multiprocessing as mp

import docker


class ContainerHandler:
    def __init__(self):
        self.client = docker.from_env()

    def run_container(self, image):
        container = self.client.containers.create(image=image, detach=True)
        container.start()
        p = mp.Process(target=watch, args=(container.id,))
        p.start()
        return p


def watch(container_id):
    for line in docker.from_env().containers.get(container_id).logs(stream=True):
        print(line)
