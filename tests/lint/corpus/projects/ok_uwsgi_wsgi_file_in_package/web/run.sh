#!/bin/sh
uwsgi --socket /tmp/app.sock --wsgi-file server.py --callable app --processes 2 --master --lazy-apps
