"""Production settings: `check --deploy` is clean with the documented environment; /healthz answers."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_prints_no_warning_with_the_documented_production_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="policy_portal.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               DJANGO_ALLOWED_HOSTS="policy.example.gov.cn", DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
               REDIS_URL="redis://127.0.0.1:6379/0", DJANGO_CSRF_TRUSTED_ORIGINS="https://policy.example.gov.cn")

    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.django_db
def test_the_health_check_reports_the_database_and_the_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
