"""The catalogue (cited, stable policy rows) and the applications made under it."""
from .applications import (  # noqa: F401
    Application,
    ApplicationEvent,
    Attachment,
    Consultation,
    Evaluation,
    ReevaluationJob,
    RoutingRule,
)
from .catalogue import Article, Bureau, Clause, Document, DocumentIssuer, Measure, MeasureBureau  # noqa: F401
