"""gunicorn settings for the portal's web process (deploy/systemd/policy-portal-web.service uses them)."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then: bounded memory over weeks
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
