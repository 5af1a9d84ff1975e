from api.search.db import people_cache


def search_people(query):
    found = people_cache.find({"name": query})  # expect: FS101 "get_mongo_client() at line 3" "(api.ini)"
    return [p["name"] for p in found]
