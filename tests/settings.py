"""Test settings: the production settings module, with test defaults for its required environment.

Tests run on a real PostgreSQL (127.0.0.1:5432, user postgres) unless DATABASE_URL says otherwise.
"""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/policy_portal")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("PORTAL_REGISTER_RATE", "1000/min")

from policy_portal.settings import *  # noqa: E402,F401,F403

# Fast hashing: tests create many users; production keeps Django's PBKDF2 default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One test database per pytest process, so concurrent runs on one machine never drop each other's
# (pytest-xdist appends its worker suffix to this name).
DATABASES["default"]["TEST"] = {"NAME": f"test_policy_portal_{os.getpid()}"}  # noqa: F405
MEDIA_ROOT = VAR_DIR / f"test-media-{os.getpid()}"  # noqa: F405
