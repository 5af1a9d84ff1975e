"""The fix: each child makes its own proxy (and so its own connection) in the pool initializer."""
import xmlrpc.client
from multiprocessing import Pool

URL = "https://spacewalk.example.org/rpc/api"
spacewalk = None


def connect(key):
    global spacewalk, KEY
    spacewalk, KEY = xmlrpc.client.ServerProxy(URL), key


def package_details(package_id):
    return spacewalk.packages.getDetails(KEY, package_id)


if __name__ == "__main__":
    parent = xmlrpc.client.ServerProxy(URL)
    key = parent.auth.login("admin", "secret")
    ids = [p["id"] for p in parent.channel.software.listAllPackages(key, "base")]
    with Pool(4, initializer=connect, initargs=(key,)) as pool:
        pool.map(package_details, ids)
