"""The parent logs in through an XML-RPC proxy, whose transport keeps the HTTPS connection open for
the next call; the pool's children then call over that same connection (TLS "bad record mac")."""
import xmlrpc.client
from multiprocessing import Pool

spacewalk = None


def package_details(package_id):
    return spacewalk.packages.getDetails(KEY, package_id)  # expect: FS101 "XML-RPC proxy 'spacewalk'"


if __name__ == "__main__":
    spacewalk = xmlrpc.client.ServerProxy("https://spacewalk.example.org/rpc/api")
    KEY = spacewalk.auth.login("admin", "secret")
    ids = [p["id"] for p in spacewalk.channel.software.listAllPackages(KEY, "base")]
    with Pool(4) as pool:
        pool.map(package_details, ids)
