# The config the Dockerfile names with -c: gunicorn reads it whatever the file is called.
bind = "0.0.0.0:8000"
workers = 4
preload_app = True
