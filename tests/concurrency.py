"""Decisions taken at the same moment from separate connections (transaction=True tests on PostgreSQL)."""
from __future__ import annotations

import threading

from django.db import connection

from policy_portal.exceptions import Conflict
from subsidies.services import application_transition


def approve_at_once(pairs: list[tuple]) -> list[str]:
    """Each (officer, application) approves in its own thread, all released together by a barrier; the outcomes are
    "ok" or the code of the Conflict that refused it (any other error fails the test where it is raised)."""
    start, outcomes = threading.Barrier(len(pairs)), []

    def approve(user, app):
        try:
            start.wait()
            application_transition(actor=user, application_id=app.pk, action="approve")
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes
