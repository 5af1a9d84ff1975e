broker_url = "redis://broker"
worker_pool = "solo"
