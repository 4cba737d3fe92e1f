"""Writes on the rule tables: drafts, validated edits, review, publication and rollback, each audited.

Published versions are immutable. A draft is copied from a published version, edited, submitted for
review, and published by a second administrator once it compiles in a child process within a time
limit and passes every case of the library.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import queue as queue_module

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from catalogue.models import Bureau, Clause, Document
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from policy_portal.messages import Message

from .cases import CaseFailure, CasesFailed, answer_to, golden_cases, library_for, run_case, run_cases
from .hooks import ruleset_published
from .messages import status_label
from .models import ClauseRule, ClauseRuleBureau, Condition, DraftCaseChange, GoldenCase, RuleEvent, RuleVersion
from .operators import FactError, normalise_condition_value
from .rulebook import RuleBook
from .selectors import (
    SOURCE_FIELDS,
    NoPublishedVersion,
    build_rulebook,
    content_checksum,
    current_version,
    fact_specs,
    version_content,
)
from .static_checks import amount_findings

COMPILE_TIMEOUT_SECONDS = 20
SYSTEM_USERNAME = "system"
VERSION_NUMBER_LOCK = 7310001  # pg_advisory_xact_lock key for numbering versions
REVIEW_ACTIONS = ("publish", "reject")  # what a reviewer does; every other event changed the version
Status = RuleVersion.Status


def _event(version: RuleVersion, actor, action: str, note: str = "", **data) -> None:
    RuleEvent.objects.create(version=version, actor=actor, action=action, note=note, data=data)


def _next_number() -> int:
    """The next version number, taken under a lock: two drafts created at once never get the same one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # held until the transaction ends
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERSION_NUMBER_LOCK])
    return (RuleVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def _write_rules(target: RuleVersion, content: list[dict]) -> None:
    """Write rules in the canonical shape of selectors.version_content into `target` (which holds none yet)."""
    bureaus = {b.short_name_zh: b for b in Bureau.objects.all()}
    clauses = {c.code: c for c in Clause.objects.all()}
    for item in content:
        rule = ClauseRule.objects.create(
            version=target, clause=clauses[item["clause"]], amount_yuan=item["amount_yuan"],
            amount_kind=item["amount_kind"], effective_from=_as_date(item["effective_from"]),
            effective_to=_as_date(item["effective_to"]), lead_bureau=bureaus[item["bureaus"][0]],
        )
        ClauseRuleBureau.objects.bulk_create(
            [ClauseRuleBureau(clause_rule=rule, bureau=bureaus[n], position=i) for i, n in enumerate(item["bureaus"])]
        )
        Condition.objects.bulk_create(
            [Condition(clause_rule=rule, group=c["group"], position=c["position"], fact_id=c["fact"],
                       operator=c["operator"], value=c["value"], message_zh=c["message_zh"],
                       message_en=c["message_en"], **{f: c.get(f) or "" for f in SOURCE_FIELDS})
             for c in item["conditions"]]
        )


def _as_date(value) -> dt.date | None:
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def system_actor():
    """The portal itself, as the actor of what `manage.py load_policies` does; it cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "系统"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system(actor) -> bool:
    return actor is not None and actor.username == SYSTEM_USERNAME


@transaction.atomic
def ruleset_draft_create(*, actor, based_on: RuleVersion | None = None, note: str = "") -> RuleVersion:
    """A new draft holding a copy of `based_on` (default: the current version)."""
    base = based_on or current_version()
    if base.status not in (Status.PUBLISHED, Status.RETIRED):
        raise DomainError("not_published", field="based_on", version=base.number)
    draft = RuleVersion.objects.create(number=_next_number(), status=Status.DRAFT, note=note, based_on=base, created_by=actor)
    _write_rules(draft, version_content(base))
    _event(draft, actor, "draft", note, based_on=base.number)
    return draft


@transaction.atomic
def ruleset_draft_from_content(*, actor, content: list[dict], note: str, source: str = "fixtures") -> RuleVersion:
    """A new draft holding `content` (canonical rules, as the fixtures state them), based on the current version."""
    try:
        base = current_version()
    except NoPublishedVersion:
        base = None
    draft = RuleVersion.objects.create(number=_next_number(), status=Status.DRAFT, note=note, based_on=base,
                                       source=source, created_by=actor)
    _write_rules(draft, content)
    _event(draft, actor, "draft", note, source=source, based_on=base.number if base else None)
    return draft


def _require_draft(version: RuleVersion) -> None:
    if version.status != Status.DRAFT:
        raise Conflict("not_a_draft", field="version", version=version.number, status=status_label(version.status))


def _check_source(cond: dict, where: str, document: str | None, texts: dict[str, str]) -> None:
    """The optional words a condition rests on: a known document, and a passage found verbatim in it."""
    for column in SOURCE_FIELDS:
        value = cond.get(column)
        if value not in (None, "") and not isinstance(value, str):
            raise DomainError("invalid_type", field=f"{where}.{column}", expected=Message("expected_text"))
    code = cond.get("source_document") or document
    if cond.get("source_document") and cond["source_document"] not in texts:
        raise DomainError("unknown_document", field=f"{where}.source_document", document=str(cond["source_document"]))
    quote = cond.get("source_quote") or ""
    if quote and code is not None and quote not in texts.get(code, ""):
        raise DomainError("quote_not_in_text", field=f"{where}.source_quote", document=code)


def validate_conditions(groups, vocabulary=None, *, document: str | None = None) -> list[tuple[int, int, dict, object]]:
    """Check condition rows against the vocabulary; FactError/DomainError name the row and column.

    A row may name the words it rests on (source_quote, verbatim in `document` or its source_document) or the
    interpretation it follows; both are optional here (the shipped rules are held to them by the tests)."""
    vocabulary = vocabulary or fact_specs()
    texts = dict(Document.objects.values_list("code", "full_text"))
    if not isinstance(groups, list):
        raise DomainError("invalid_type", field="conditions", expected=Message("expected_condition_groups"))
    rows = []
    for g, group in enumerate(groups):
        if not isinstance(group, list) or not group:
            raise DomainError("invalid_type", field=f"conditions[{g}]", expected=Message("expected_condition_group"))
        for p, cond in enumerate(group):
            where = f"conditions[{g}][{p}]"
            if not isinstance(cond, dict):
                raise DomainError("invalid_type", field=where, expected=Message("expected_condition"))
            spec = vocabulary.get(cond.get("fact"))
            if spec is None:
                raise DomainError("unknown_fact", field=f"{where}.fact", fact=str(cond.get("fact") or ""))
            try:
                value = normalise_condition_value(spec, cond.get("operator"), cond.get("value"))
            except FactError as exc:
                column = "operator" if exc.field == "operator" else "value"
                raise DomainError(exc.code, field=f"{where}.{column}", **exc.params) from None
            for column in ("message_zh", "message_en"):
                text = cond.get(column)
                limit = Condition._meta.get_field(column).max_length
                if not isinstance(text, str) or not text.strip():
                    raise DomainError("required", field=f"{where}.{column}")
                if len(text) > limit:
                    raise DomainError("too_long", field=f"{where}.{column}", limit=limit)
            _check_source(cond, where, document, texts)
            rows.append((g, p, cond, value))
    return rows


@transaction.atomic
def clause_rule_edit(
    *, actor, version: RuleVersion, clause_code: str, amount_yuan: int | None, amount_kind: str,
    effective_from: dt.date, effective_to: dt.date | None, bureaus: list[str], conditions: list,
) -> ClauseRule:
    """Replace one clause's parameters and conditions in a draft, refusing anything that does not fit."""
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    rule = ClauseRule.objects.filter(version=version, clause__code=clause_code).select_related("clause__document").first()
    if rule is None:
        raise DomainError("unknown_clause", field="clause", clause=clause_code)
    kinds = ClauseRule.AmountKind
    if amount_kind not in kinds.values:
        raise DomainError("invalid_choice", field="amount_kind")
    if amount_kind in (kinds.CAP, kinds.FIXED, kinds.EQUITY):
        if isinstance(amount_yuan, bool) or not isinstance(amount_yuan, int) or amount_yuan <= 0:
            raise DomainError("amount_required", field="amount_yuan")
    elif amount_yuan is not None:
        raise DomainError("amount_not_applicable", field="amount_yuan")
    if effective_to is not None and effective_to <= effective_from:
        raise DomainError("invalid_window", field="effective_to")
    found = {b.short_name_zh: b for b in Bureau.objects.filter(short_name_zh__in=bureaus or [])}
    missing = [b for b in bureaus or [] if b not in found]
    if not bureaus or missing or len(set(bureaus)) != len(bureaus):
        raise DomainError("invalid_bureaus", field="bureaus",
                          unknown=Message("bureaus_unknown", bureaus=missing) if missing else "")
    rows = validate_conditions(conditions, document=rule.clause.document.code)
    kept = _sources_by_test(rule)
    before = {"amount_yuan": rule.amount_yuan, "amount_kind": rule.amount_kind}
    rule.amount_yuan, rule.amount_kind = amount_yuan, amount_kind
    rule.effective_from, rule.effective_to = effective_from, effective_to
    rule.lead_bureau = found[bureaus[0]]
    rule.save()
    ClauseRuleBureau.objects.filter(clause_rule=rule).delete()
    ClauseRuleBureau.objects.bulk_create(
        [ClauseRuleBureau(clause_rule=rule, bureau=found[n], position=i) for i, n in enumerate(bureaus)]
    )
    rule.conditions.all().delete()
    Condition.objects.bulk_create(
        [Condition(clause_rule=rule, group=g, position=p, fact_id=c["fact"], operator=c["operator"],
                   value=c.get("value"), message_zh=c["message_zh"].strip(), message_en=c["message_en"].strip(),
                   **_source_of(c, kept))
         for g, p, c, _ in rows]
    )
    _event(version, actor, "edit", clause=clause_code, before=before,
           after={"amount_yuan": amount_yuan, "amount_kind": amount_kind})
    return rule


def _test_keys(fact, operator, value, message_zh) -> tuple[str, str]:
    """A condition's test, with and without what it says (two reviews of one fact differ only in that)."""
    return content_checksum([fact, operator, value, message_zh.strip()]), content_checksum([fact, operator, value])


def _sources_by_test(rule: ClauseRule) -> dict[str, dict]:
    """The words of the rule's current conditions, by the test they make."""
    kept: dict[str, dict] = {}
    for c in rule.conditions.order_by("-group", "-position"):  # the first row of a test wins its bare key
        for key in _test_keys(c.fact_id, c.operator, c.value, c.message_zh):
            kept[key] = {f: getattr(c, f) for f in SOURCE_FIELDS}
    return kept


def _source_of(cond: dict, kept: dict[str, dict]) -> dict:
    """The source fields to store: as given; or, when a row names none of them (an older client, a form or a
    workbook without those columns), the words of the identical condition it replaces, so an edit keeps them."""
    if any(f in cond for f in SOURCE_FIELDS):
        return {f: (cond.get(f) or "").strip() for f in SOURCE_FIELDS}
    exact, bare = _test_keys(cond["fact"], cond["operator"], cond.get("value"), cond["message_zh"])
    return kept.get(exact) or kept.get(bare) or {f: "" for f in SOURCE_FIELDS}


@transaction.atomic
def ruleset_submit(*, actor, version: RuleVersion, note: str = "") -> RuleVersion:
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    version.status, version.submitted_by = Status.IN_REVIEW, actor
    version.save(update_fields=["status", "submitted_by"])
    _event(version, actor, "submit", note)
    return version


# ---------------------------------------------------------------- checks before publishing


def _compile_in_child(book: RuleBook, out) -> None:  # runs in the child process
    try:
        from .engine import Engine, build_payload

        engine = Engine()
        engine.ensure("draft-check", book)
        engine.evaluate("draft-check", book, {}, 20000)
        build_payload(book, {}, 20000)
        out.put(("ok", ""))
    except BaseException as exc:  # noqa: BLE001 - report whatever happened
        out.put(("error", f"{type(exc).__name__}: {exc}"))


def compile_check(book: RuleBook, timeout: float = COMPILE_TIMEOUT_SECONDS) -> str | None:
    """Compile and run `book` in a child process: a bad table can hang or crash durable-rules. None if fine."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_compile_in_child, args=(book, out), daemon=True)
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return f"durable-rules did not compile the draft within {timeout:.0f} s"
    try:
        status, message = out.get(timeout=1)
    except queue_module.Empty:
        return f"durable-rules crashed while compiling the draft (exit code {child.exitcode})"
    return None if status == "ok" else message


def publish_checks(version: RuleVersion) -> tuple[str | None, list[CaseFailure]]:
    book = build_rulebook(version)
    return compile_check(book), run_cases(book, library_for(version))


def _apply_case_changes(version: RuleVersion) -> None:
    for change in version.case_changes.select_related("case"):
        GoldenCase.objects.filter(pk=change.case_id).update(
            expected=change.expected, amount_yuan=change.amount_yuan, unmet=list(change.unmet or ()))


def amounts_to_acknowledge(version: RuleVersion) -> list:
    """The findings of amounts that differ from their quoted text, which the reviewer acknowledges one by one."""
    return amount_findings(build_rulebook(version))


def _acknowledged(version: RuleVersion, acknowledgements: dict | None) -> dict[str, str]:
    given = {str(k): str(v or "").strip()[:2000] for k, v in (acknowledgements or {}).items()}
    out = {}
    for finding in amounts_to_acknowledge(version):
        reason = given.get(finding.clause, "")
        if not reason:
            raise DomainError("acknowledgement_required", field=f"acknowledgements.{finding.clause}",
                              clause=finding.clause)
        out[finding.clause] = {"reason": reason, "finding": finding.message_zh}
    return out


@transaction.atomic
def ruleset_publish(*, actor, version: RuleVersion, note: str = "", acknowledgements: dict | None = None) -> RuleVersion:
    """Publish a reviewed draft: a second administrator, each amount that differs from its quoted text
    acknowledged with a reason (clause code → reason), a clean compile, every library case passing."""
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.IN_REVIEW:
        raise Conflict("not_in_review", field="version", version=version.number, status=status_label(version.status))
    _require_second_administrator(version, actor)
    acknowledged = _acknowledged(version, acknowledgements)
    compile_error, failures = publish_checks(version)
    if compile_error:
        raise DomainError("does_not_compile", field="version", version=version.number, detail=compile_error)
    if failures:
        raise CasesFailed(failures, field="version")
    _apply_case_changes(version)
    return _publish(version, actor, note or "published", acknowledged=acknowledged)


def editors(version: RuleVersion) -> set[int]:
    """Everyone who changed anything in `version`, by any path: created, edited, imported, submitted it."""
    ids = set(version.events.exclude(action__in=REVIEW_ACTIONS).exclude(actor=None).values_list("actor_id", flat=True))
    return ids | {pk for pk in (version.created_by_id, version.submitted_by_id) if pk is not None}


def _require_second_administrator(version: RuleVersion, actor) -> None:
    """Whoever changed a version cannot publish it. The one exception is the portal's own fixtures load:
    fixtures/ is the policy text as reviewed in the repository, published by the system actor alone."""
    if is_system(actor) and version.source == "fixtures" and editors(version) <= {actor.pk}:
        return
    if actor is None or actor.pk in editors(version):
        raise NotAllowed("second_administrator_required", field="actor")


def _publish(version: RuleVersion, actor, note: str, acknowledged: dict | None = None) -> RuleVersion:
    try:
        previous = current_version()
    except NoPublishedVersion:
        previous = None
    version.checksum = content_checksum(version_content(version))
    version.status, version.published_at, version.published_by = Status.PUBLISHED, timezone.now(), actor
    version.save(update_fields=["checksum", "status", "published_at", "published_by"])
    _event(version, actor, "publish", note, previous=previous.number if previous else None,
           **({"acknowledged": acknowledged} if acknowledged else {}))
    ruleset_published.send(sender=RuleVersion, version=version, previous=previous)
    return version


@transaction.atomic
def ruleset_reject(*, actor, version: RuleVersion, note: str) -> RuleVersion:
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.IN_REVIEW:
        raise Conflict("not_in_review", field="version", version=version.number, status=status_label(version.status))
    if not note.strip():
        raise DomainError("reason_required", field="note")
    version.status = Status.REJECTED
    version.save(update_fields=["status"])
    _event(version, actor, "reject", note)
    return version


@transaction.atomic
def ruleset_amend(*, actor, version: RuleVersion, note: str = "") -> RuleVersion:
    """A rejected version goes back to draft for its author to amend and submit again (another administrator
    still reviews it: amending it is one more change by the author)."""
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.REJECTED:
        raise Conflict("not_rejected", field="version", version=version.number, status=status_label(version.status))
    if actor is None or actor.pk not in editors(version):
        raise NotAllowed("author_only", field="actor")
    version.status = Status.DRAFT
    version.save(update_fields=["status"])
    _event(version, actor, "amend", note)
    return version


@transaction.atomic
def ruleset_rollback(*, actor, to_version: RuleVersion, note: str = "") -> RuleVersion:
    """A draft holding an earlier version's rules, reviewed and published like any other draft (by another
    administrator, once it compiles and passes the case library). The cases whose expectations the current
    rules changed are moved back with it in the same draft: the reviewer sees each one, and publishing the
    draft updates them in the library."""
    if to_version.status not in (Status.PUBLISHED, Status.RETIRED):
        raise DomainError("not_published", field="to_version", version=to_version.number)
    draft = RuleVersion.objects.create(number=_next_number(), status=Status.DRAFT, based_on=to_version, source="rollback",
                                       created_by=actor, note=note or f"rollback to v{to_version.number}")
    _write_rules(draft, version_content(to_version))
    _propose_case_changes(draft)
    _event(draft, actor, "rollback", note, to_version=to_version.number)
    return draft


def _propose_case_changes(draft: RuleVersion) -> None:
    """For every case the draft answers otherwise than the library expects, the draft's answer as a case change."""
    book = build_rulebook(draft)
    ids = dict(GoldenCase.objects.values_list("name", "pk"))
    rows = []
    for case in golden_cases():
        if run_case(book, case) is None:
            continue
        answer = answer_to(book, case)
        if answer is None or run_case(book, answer) is not None:
            continue  # the draft cannot answer it: the case stays failing, and publication waits for a fix
        rows.append(DraftCaseChange(
            version=draft, case_id=ids[case.name], expected=answer.expected, amount_yuan=answer.amount_yuan,
            unmet=list(answer.unmet),
            before={"expected": case.expected, "amount_yuan": case.amount_yuan, "unmet": list(case.unmet)},
        ))
    DraftCaseChange.objects.bulk_create(rows)
