from api.search.db import people_cache


def search_people(query):
    found = people_cache.find({"name": query})
    return [p["name"] for p in found]
