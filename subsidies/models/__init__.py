"""Applications made under the catalogue's clauses: their state, routing, evaluations, files and history."""
from .applications import (  # noqa: F401
    Appeal,
    Application,
    ApplicationEvent,
    Attachment,
    Consultation,
    Evaluation,
    RoutingRule,
)
