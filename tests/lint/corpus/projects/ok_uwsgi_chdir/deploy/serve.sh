#!/bin/sh
# uWSGI loads the app in the master in each worker (--lazy-apps) from a deployment path, then forks 4 workers
exec /opt/venv/bin/uwsgi --master --processes 4 --chdir /srv/shop/current/web --lazy-apps --module wsgi:application
