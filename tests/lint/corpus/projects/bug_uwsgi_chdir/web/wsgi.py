from store.aio import client


def application(environ, start_response):
    client.shop.hits.insert_one({"path": environ["PATH_INFO"]})  # expect: FS101 "uWSGI without lazy-apps"
    start_response("200 OK", [])
    return [b"ok"]
