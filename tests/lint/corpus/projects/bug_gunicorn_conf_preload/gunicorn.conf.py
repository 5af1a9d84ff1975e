preload_app = True
workers = 4
