"""Writes on applications: create, update, evaluate; the workflow's actions (submit, decide, return, recommend, reassign …)."""
from ..routing import route_for  # noqa: F401
from .actions import application_submit, application_transition  # noqa: F401
from .applications import application_create, application_update, evaluation_run  # noqa: F401
