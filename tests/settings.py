"""Test settings: the production settings module, with test defaults for its required environment.

Tests run on a real PostgreSQL (127.0.0.1:5432, user postgres) unless DATABASE_URL says otherwise.
"""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/policy_portal")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from policy_portal.settings import *  # noqa: E402,F401,F403
