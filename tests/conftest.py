"""The default world: the five documents, the vocabulary and rule version 1, loaded once per test database."""
import datetime as dt

import pytest

from catalogue.loading import policies_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        policies_load()


@pytest.fixture
def book(db):
    from rules.selectors import current_version, rulebook_for_version

    return rulebook_for_version(current_version())


@pytest.fixture
def as_of():
    return dt.date(2026, 6, 1)


@pytest.fixture(scope="session", autouse=True)
def _private_media_root():
    """Uploads in tests go to a per-process folder (tests/settings.py), removed when the session ends."""
    import shutil

    from django.conf import settings

    yield
    if "test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
