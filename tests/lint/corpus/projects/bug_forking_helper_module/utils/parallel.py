"""A helper that runs whatever handler it is given in a pool's forked children (Metaculus's
``parallel_command_executor``): the fork is here, the handler and its connection elsewhere."""
from multiprocessing import Pool

import django


def run_parallel(items, handler, num_processes=2):
    chunks = [items[i::num_processes] for i in range(num_processes)]
    with Pool(processes=num_processes, initializer=django.setup) as pool:
        pool.starmap(handler, [(chunk, index) for index, chunk in enumerate(chunks)])
