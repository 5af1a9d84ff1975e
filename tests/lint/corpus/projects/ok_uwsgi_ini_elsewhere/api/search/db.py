from .utils import get_mongo_client

client = get_mongo_client()
search_cache = client["search_cache"]
people_cache = search_cache.people_cache
