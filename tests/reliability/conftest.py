import pytest

from .stack import Stack


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture
def stack(transactional_db, tmp_path):
    """Sweepers every 2 s, patient for 3 s: a lost message costs seconds, not the production ten minutes."""
    from catalogue.loading import policies_load

    policies_load()
    stack = Stack(tmp_path, PORTAL_SWEEP_SECONDS=2, PORTAL_STALE_SECONDS=3)
    try:
        yield stack
    finally:
        stack.stop()
