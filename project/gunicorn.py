"""gunicorn's settings for Kamkap, from the environment (`gunicorn -c project/gunicorn.py project.wsgi`).

Each instance gets its own control socket (two gunicorn 27 instances on one machine otherwise clash
on ~/.gunicorn/gunicorn.ctl); workers are recycled after a number of requests (with jitter, so they do
not all restart at once); a request that runs past GUNICORN_TIMEOUT seconds is killed and its worker
replaced."""

import multiprocessing
import os

_port = os.environ.get("PORT", "8000")
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{_port}")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", f"/tmp/kamkap-gunicorn-{bind.replace(':', '-')}.ctl")  # noqa: S108
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Behind the load balancer: which proxy addresses may set X-Forwarded-* (Django reads the scheme
# from PROXY_SSL_HEADER, project/settings.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
