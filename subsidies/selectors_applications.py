"""Reads of applications: who may see what, the officers' queue with filters, one application in full."""
from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, profile_of, role_of
from catalogue.display import bureau_name
from policy_portal.exceptions import DomainError
from policy_portal.messages import Message
from rules.impact import Subject

from .limits import RUNNING
from .models import Appeal, Application, ApplicationEvent, Attachment, Consultation, Evaluation
from .models.applications import Status
from .workflow import ACTIONS, Action, answer_check, call_for, consult_check, edit_check, passes


def visible_applications(user) -> QuerySet[Application]:
    """Applicants see their organisation's; officers their bureau's (routed, or under their district review)."""
    base = Application.objects.select_related("clause", "organisation", "bureau", "district_bureau")
    role = role_of(user)
    if role == Role.ADMIN:
        return base
    if role == Role.APPLICANT:
        return base.filter(organisation=organisation_of(user))
    if role == Role.OFFICER:
        bureau = bureau_of(user)
        return (
            base.filter(Q(bureau=bureau) | Q(district_bureau=bureau) | Q(consultations__bureau=bureau))
            .exclude(status="draft")
            .distinct()
        )
    return base.none()


def application_queue(
    user, *, clause: str | None = None, status: str | None = None, district: str | None = None,
    submitted_from: dt.date | None = None, submitted_to: dt.date | None = None, q: str | None = None,
    changed: bool | None = None, overdue: bool | None = None, sort: str = "newest", today: dt.date | None = None,
) -> QuerySet[Application]:
    """Filtered, newest first (sort="due": the nearest due date first, those without one last); each row knows its
    latest outcome and, if a rule update changed it, the one before. overdue: only those past their time limit."""
    latest = Evaluation.objects.filter(application=OuterRef("pk"), state=Evaluation.State.DONE).order_by("-created_at", "-pk")
    qs = visible_applications(user).annotate(
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        latest_previous_outcome=Subquery(latest.values("previous_outcome")[:1]),
    )
    if changed:
        qs = qs.exclude(latest_previous_outcome="").filter(latest_previous_outcome__isnull=False)
    if clause:
        qs = qs.filter(clause__code=clause)
    if status:
        qs = qs.filter(status=status)
    if district:
        qs = qs.filter(organisation__district=district)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(organisation__name__icontains=q) | Q(description__icontains=q))
    if overdue:
        qs = qs.filter(status__in=RUNNING, due_on__lt=today or timezone.localdate())
    if sort == "due":
        return qs.order_by(F("due_on").asc(nulls_last=True), "-submitted_at", "-pk")
    return qs.order_by("-submitted_at", "-created_at", "-pk")


def application_detail(user, application_id) -> Application | None:
    return (
        visible_applications(user)
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor__profile__bureau")
                     .order_by("created_at", "pk")),
            Prefetch("evaluations", queryset=Evaluation.objects.select_related("rule_version").order_by("-created_at", "-pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("appeals", queryset=Appeal.objects.select_related("assigned_to", "decided_by")
                     .prefetch_related("files").order_by("created_at", "pk")),
            Prefetch("consultations", queryset=Consultation.objects.select_related("bureau", "requested_by", "answered_by")
                     .order_by("created_at", "pk")),
        )
        .filter(pk=application_id)
        .first()
    )


def application_or_404(user, application_id) -> Application:
    """The application in full (application_detail) if `user` may see it; else Http404, which the pages show as
    their 404 and the API answers as {code: not_found}. Whoever cannot see an application learns nothing of it."""
    app = application_detail(user, application_id)
    if app is None:
        raise Http404("No such application.")
    return app


# What passes between bureaus stays with the officers: the applicant sees neither the consultations (questions,
# answers) nor the reasons officers give one another, nor officers' usernames; it sees that its application moved,
# and every reason addressed to it (returned for changes, not supported, approved).
INTERNAL_EVENTS = frozenset({"consult", "answer"})
INTERNAL_REASONS = frozenset({"reassign", "recommend", "start_review"})


def sees_internal(user) -> bool:
    """Officers and administrators see the whole file; the applicant only what is addressed to it."""
    return role_of(user) in (Role.OFFICER, Role.ADMIN)


def _actor_label(event, app: Application) -> str:
    """Who acted, as the applicant may know it: its own members by name, an officer by their bureau."""
    profile = profile_of(event.actor) if event.actor is not None else None
    if profile is not None and profile.organisation_id == app.organisation_id:
        return event.actor.username
    if profile is not None and profile.bureau is not None:
        return bureau_name(profile.bureau)
    return ""


def application_history(user, app: Application) -> list[dict]:
    """The events `user` may read, each {event, action, from_status, to_status, actor, reason, data, created_at}:
    everything for officers; for the applicant, without the consultations, the reasons officers give one another
    and officers' usernames."""
    internal = sees_internal(user)
    rows = []
    for e in app.events.all():
        if not internal and e.action in INTERNAL_EVENTS:
            continue
        private = not internal and e.action in INTERNAL_REASONS
        rows.append({
            "event": e, "action": e.action, "from_status": e.from_status, "to_status": e.to_status,
            "actor": (e.actor.username if e.actor is not None else None) if internal else _actor_label(e, app),
            "reason": "" if private else e.reason,
            "data": e.data if internal else {},
            "created_at": e.created_at,
        })
    return rows


def application_consultations(user, app: Application) -> list:
    """The consultations between bureaus: officers' business, never shown to the applicant."""
    return list(app.consultations.all()) if sees_internal(user) else []


def consultations_to_answer(user, app: Application) -> list:
    """The consultations on `app` that this officer's bureau has still to answer."""
    return [c for c in app.consultations.all() if passes(answer_check, user, c)]


def allowed_actions(user, app: Application) -> list[str]:
    """The declared actions `user` may take on `app` now: those whose check passes. The pages draw them as buttons,
    the API lists them; the service runs the same check again before it writes."""
    return [name for name, action in ACTIONS.items() if action.allows(user, app)]


def blocked_actions(user, app: Application) -> list[tuple[Action, DomainError]]:
    """The actions `user` could take in this state but for an unmet condition, each with the refusal that says what
    is missing (a page explains them instead of drawing their buttons)."""
    blocked = []
    for action in ACTIONS.values():
        if passes(action.check_actor, user, app) and passes(action.check_state, app):
            try:
                action.check_conditions(app)
            except DomainError as exc:
                blocked.append((action, exc))
    return blocked


def can_edit(user, app: Application) -> bool:
    return passes(edit_check, user, app)


def can_consult(user, app: Application) -> bool:
    return passes(consult_check, user, app)


def impact_subjects() -> list:
    """The stored applications still in play (not drafts, not withdrawn), oldest first, as impact-preview subjects."""
    applications = (
        Application.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .order_by("pk")
        .values_list("reference", "facts", "as_of", "clause__code")
    )
    return [Subject("application", ref, facts, as_of, clause) for ref, facts, as_of, clause in applications]


def application_materials(app: Application) -> tuple[object | None, list[dict]]:
    """The call whose materials the application gathers, and each material with the file uploaded for it (or None),
    in the call's order; then a row for the files that are no material of the call ("other")."""
    call = call_for(app)
    materials = list(call.materials.order_by("position", "pk")) if call else []
    by_material = {}
    for attachment in app.attachments.all():
        by_material.setdefault(attachment.material_id, attachment)
    return call, [{"material": m, "attachment": by_material.get(m.pk)} for m in materials]


def earlier_claims(user, app: Application) -> list[dict]:
    """就新、不重复, early: the organisation's other applications that claim the same (normalised) item, oldest first,
    withdrawn ones left out (officers see no drafts). Each says whether `user` may open it (`visible`).

    The applicant is warned at draft and at submission; the officer reviewing sees them (issue 10, item 4). Approval
    is refused only when one of them is approved (subsidies.workflow.achievement_not_yet_supported)."""
    if not app.achievement_normalised:
        return []
    others = (
        Application.objects.filter(organisation_id=app.organisation_id, achievement_kind=app.achievement_kind,
                                   achievement_normalised=app.achievement_normalised)
        .exclude(pk=app.pk).exclude(status=Status.WITHDRAWN)
        .select_related("clause", "bureau").order_by("created_at", "pk")
    )
    if role_of(user) == Role.OFFICER:
        others = others.exclude(status=Status.DRAFT)
    others = list(others)
    visible = set(visible_applications(user).filter(pk__in=[o.pk for o in others]).values_list("pk", flat=True))
    return [{"application": o, "visible": o.pk in visible} for o in others]


def claim_warning(claims: list[dict], app: Application) -> Message | None:
    """What the applicant and the officer are told when the item was claimed before (a warning, not a refusal)."""
    if not claims:
        return None
    approved = [c["application"].reference for c in claims if c["application"].status == Status.APPROVED]
    references = [c["application"].reference for c in claims]
    if approved:
        return Message("achievement_supported_before", achievement=app.achievement_key, references=approved)
    return Message("achievement_claimed_before", achievement=app.achievement_key, references=references)
