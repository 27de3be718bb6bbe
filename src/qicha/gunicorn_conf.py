"""gunicorn settings for production: `gunicorn -c python:qicha.gunicorn_conf qicha.wsgi` (deploy/qicha-web.service).

Why gunicorn and not waitress (which `make run` / `python -m qicha serve` keeps using): waitress is one process with
threads, so Python's GIL lets it use one core for page rendering, however many threads it has; gunicorn runs several
worker processes (both cores of a small server), restarts a worker that hangs past the timeout or has served
`max_requests`, and reloads the code on SIGHUP without dropping connections (`systemctl reload qicha-web`). nginx in
front buffers slow clients and uploads, so the simple threaded workers suffice.

Every knob is a QICHA_* environment variable, like the rest of qicha (deploy/qicha.env lists them).
"""

import os

bind = os.environ.get("QICHA_BIND", "127.0.0.1:8000")
# Two processes per core is plenty for a Django app that waits on PostgreSQL a part of each request.
workers = int(os.environ.get("QICHA_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "gthread"
threads = int(os.environ.get("QICHA_THREADS", "4"))
# A request longer than this is killed and logged (an export or import runs in the worker, not here).
timeout = int(os.environ.get("QICHA_REQUEST_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (jitter so they do not all restart together).
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host sets X-Forwarded-For / -Proto; trust them from loopback only.
forwarded_allow_ips = os.environ.get("QICHA_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "qicha-web"


def on_starting(server):
    """Refuse to start, as `serve` does, when the keys are missing or do not fit the stored data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicha.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("check")
    from qicha.core.checks import keys_match_data

    problem = keys_match_data()
    if problem:
        raise SystemExit(f"无法启动：{problem}")
