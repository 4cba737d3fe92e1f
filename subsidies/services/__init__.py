"""Writes on applications: create, update, submit, transitions (decide, return, recommend, reassign), routing."""
from .applications import (  # noqa: F401
    application_create,
    application_submit,
    application_transition,
    application_update,
    evaluation_run,
)
from .routing import route_for  # noqa: F401
