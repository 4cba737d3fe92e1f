"""What the texts change in a check's answer beyond each clause's conditions (used by rules.check.result_dict).

* FIM prints no publication day ("本政策措施实施期限自公布之日起至2027年12月31日"): its clauses' windows start
  on the earliest possible day, marked as an estimate; a check as of a day before the measures had certainly
  been published (Document.published_on_latest) goes to an officer (docs/policy-reading.md, I-5).
* 就新、不重复 ("本政策措施与本市其他同类政策有重叠或冲突的，按照“就新、不重复”原则执行"): support the
  applicant already received for the same item under another policy (the fact `prior_support_same_item`,
  with policy, year and amount) makes each clause that rewards an item (a monetary clause with an
  `achievement_kind`) superseded (newer municipal policy) or a matter for an officer (older municipal or
  district policy).
* Clauses of one document that can reward the same item (clauses.yaml `not_combinable_with`, e.g. measure 1's
  two routes for one project) are offered as alternatives: each names the others.

Pure functions of (the answer's lists, the rule book, the facts, the day), like the check itself.
"""
from __future__ import annotations

import datetime as dt

from .operators import date_to_days
from .rulebook import RuleBook

VALIDITY_FACT = "as_of"
UNCERTAIN_START_READING = ("I-5: FIM prints no publication day; its window starts on the earliest possible day, and "
                           "days before it had certainly been published go to an officer")

PRIOR_SUPPORT_FACT = "prior_support_same_item"
NON_DUPLICATION_QUOTE = "本政策措施与本市其他同类政策有重叠或冲突的，按照“就新、不重复”原则执行"
# The facts these adjustments read, which no condition tests.
FACTS_READ = (PRIOR_SUPPORT_FACT, "prior_support_policy", "prior_support_year", "prior_support_amount_yuan")
# declared value → (message_zh, message_en, interpretation) of what awaits the officer; {detail} is the declaration
PRIOR_SUPPORT_REVIEW = {
    "older_municipal": (
        "就新、不重复：同一事项已获本市较早出台的同类政策支持{detail}，适用本政策措施，须由主管部门核实、不重复支持",
        "就新、不重复: the same item was supported under an older municipal policy of the same kind{detail}; this "
        "policy applies, and an officer makes sure the item is not supported twice",
        "",
    ),
    "district": (
        "同一事项已获区县政策支持{detail}，是否构成重复支持须由主管部门认定",
        "The same item was supported under a district policy{detail}; an officer decides whether this would support "
        "it twice",
        "I-13: 就新、不重复 speaks of 本市其他同类政策 (municipal policies); district support goes to an officer",
    ),
}
PRIOR_SUPPORT_SUPERSEDED = (
    "就新、不重复：同一事项已获本市较新出台的同类政策支持{detail}，适用较新的政策，本政策措施不再重复支持",
    "就新、不重复: the same item is supported under a newer municipal policy of the same kind{detail}, which "
    "applies; this policy does not support it again",
)


def message(fact: str, zh: str, en: str, interpretation: str = "") -> dict:
    """A condition or reason as the answer shows it. One that follows a documented interpretation rather than words
    of the text says so (`interpretation`: the reading, docs/policy-reading.md), to be shown as such."""
    out = {"fact": fact, "message_zh": zh, "message_en": en}
    if interpretation:
        out["interpretation"] = interpretation
    return out


def adjust(eligible: list[dict], review: list[dict], book: RuleBook, facts: dict, as_of: dt.date):
    """The answer's (eligible, needs_review, superseded-by-prior-support) lists after what the texts add."""
    eligible, review = _uncertain_start(eligible, review, book, as_of)
    return _prior_support(eligible, review, facts, book)


def _to_review(eligible: list[dict], review: list[dict], concerned, reason: dict, book: RuleBook):
    """Every concerned clause awaits an officer for `reason` too: eligible ones move to needs_review."""
    moved = [e for e in eligible if concerned(e)]
    for item in review:
        if concerned(item):
            item["awaiting"] = item["awaiting"] + [reason]
    for item in moved:
        item["awaiting"] = [reason]
    position = {c.code: i for i, c in enumerate(book.clauses)}
    return ([e for e in eligible if not concerned(e)],
            sorted(review + moved, key=lambda item: position[item["code"]]))


def _uncertain_start(eligible: list[dict], review: list[dict], book: RuleBook, as_of: dt.date):
    days = date_to_days(as_of)

    def concerned(item: dict) -> bool:
        spec = book.clause(item["code"])
        return spec.certain_from is not None and days < spec.certain_from

    if not any(concerned(item) for item in eligible + review):
        return eligible, review
    day = as_of.isoformat()
    reason = message(
        VALIDITY_FACT,
        f"本政策措施未载明公布日期（实施期限自公布之日起）：{day}是否已在实施期限内，须由主管部门确认",
        f"The measures print no publication day (they apply from publication): whether they were in force on {day} "
        "is for an officer to confirm",
        UNCERTAIN_START_READING,
    )
    return _to_review(eligible, review, concerned, reason, book)


def _prior_detail(facts: dict) -> tuple[str, str]:
    """The declared policy, year and amount, as the reasons quote them: "（《…》，2025年，1000000元）"."""
    zh, en = [], []
    if facts.get("prior_support_policy"):
        zh.append(f"《{facts['prior_support_policy'].strip('《》')}》")
        en.append(facts["prior_support_policy"])
    if facts.get("prior_support_year"):
        zh.append(f"{facts['prior_support_year']}年")
        en.append(str(facts["prior_support_year"]))
    if facts.get("prior_support_amount_yuan"):
        zh.append(f"{facts['prior_support_amount_yuan']}元")
        en.append(f"{facts['prior_support_amount_yuan']} yuan")
    return ("（" + "，".join(zh) + "）" if zh else "", " (" + ", ".join(en) + ")" if en else "")


def rewards_an_item(book: RuleBook, code: str) -> bool:
    """A clause 就新、不重复 applies to: it pays (or invests) for an identified item."""
    spec = book.clause(code)
    return bool(spec.achievement_kind) and spec.amount_kind != "none"


def _prior_support(eligible: list[dict], review: list[dict], facts: dict, book: RuleBook):
    declared = facts.get(PRIOR_SUPPORT_FACT)
    if declared not in PRIOR_SUPPORT_REVIEW and declared != "newer_municipal":
        return eligible, review, []
    zh_detail, en_detail = _prior_detail(facts)

    def concerned(item: dict) -> bool:
        return rewards_an_item(book, item["code"])

    if declared == "newer_municipal":
        zh, en = PRIOR_SUPPORT_SUPERSEDED
        held = [{"code": item["code"], "superseded_by": [], "reason_zh": zh.format(detail=zh_detail),
                 "reason_en": en.format(detail=en_detail)} for item in eligible + review if concerned(item)]
        return [e for e in eligible if not concerned(e)], [r for r in review if not concerned(r)], held
    zh, en, interpretation = PRIOR_SUPPORT_REVIEW[declared]
    reason = message(PRIOR_SUPPORT_FACT, zh.format(detail=zh_detail), en.format(detail=en_detail), interpretation)
    return (*_to_review(eligible, review, concerned, reason, book), [])


def mark_not_combinable(items: list[dict], book: RuleBook) -> None:
    """Clauses that can reward the same item (clauses.yaml `not_combinable_with`): each qualifying one names the
    qualifying others in `not_combinable_with`, as clauses sharing an achievement already do."""
    offered = {item["code"] for item in items}
    for item in items:
        partners = [code for code in book.clause(item["code"]).not_combinable_with if code in offered]
        if partners:
            known = item.get("not_combinable_with", [])
            item["not_combinable_with"] = known + [code for code in partners if code not in known]
