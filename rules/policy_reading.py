"""docs/policy-reading.md's table of conditions, generated from fixtures/clauses.yaml.

For every condition of every clause: what it tests, the words of the text it rests on (`src`, in the
clause's document unless `src_doc` names another) and, where the words do not settle it, the
interpretation it follows. `manage.py policy_reading` writes the table between the markers of
docs/policy-reading.md; tests/unit/test_policy_reading.py fails when the committed document and
clauses.yaml disagree. Pure text in, text out: no database.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

BEGIN = "<!-- BEGIN GENERATED: conditions (manage.py policy_reading) -->"
END = "<!-- END GENERATED: conditions -->"
INTERPRETATION_ID = re.compile(r"^(I-\d+):")
VALUELESS = {"in_window", "exists", "review"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def interpretation_ids(data: dict) -> set[str]:
    """Every interpretation (I-n) a condition of clauses.yaml follows."""
    ids = set()
    for clause in data["clauses"]:
        for condition in _conditions(clause):
            if condition.get("interpretation"):
                match = INTERPRETATION_ID.match(condition["interpretation"])
                ids.add(match.group(1) if match else condition["interpretation"])
    return ids


def _conditions(clause: dict):
    for item in clause.get("conditions") or []:
        yield from (item["any"] if isinstance(item, dict) and "any" in item else [item])


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _test(c: dict) -> str:
    if c["op"] in VALUELESS:
        return f"`{c['fact']} {c['op']}`"
    value = c.get("value")
    if isinstance(value, list):
        value = "[" + ", ".join(str(v) for v in value) + "]"
    elif isinstance(value, bool):
        value = "true" if value else "false"
    return f"`{c['fact']} {c['op']} {value}`"


def _words(c: dict, document: str) -> str:
    if not c.get("src"):
        return "—"
    other = c.get("src_doc")
    return (f"[{other}] " if other and other != document else "") + f"“{_cell(c['src'])}”"


def _reading(c: dict) -> str:
    reading = c.get("interpretation") or ""
    match = INTERPRETATION_ID.match(reading)
    return f"**{match.group(1)}**:{_cell(reading[match.end():])}" if match else _cell(reading)


def render_table(data: dict) -> str:
    """The generated part of docs/policy-reading.md: one table per evaluated clause."""
    out = [BEGIN, ""]
    for clause in data["clauses"]:
        code, document = clause["code"], clause["article"].split("/")[0]
        if clause["kind"] == "framework":
            continue
        out.append(f"#### {code} {clause['title_zh']}")
        out.append("")
        if clause.get("requires"):
            out.append(f"Also every condition of {', '.join(clause['requires'])} (copied in when the rules are loaded).")
            out.append("")
        out.append("| # | condition | words it rests on | interpretation |")
        out.append("|---|---|---|---|")
        for g, item in enumerate(clause.get("conditions") or [], start=1):
            alternatives = item["any"] if isinstance(item, dict) and "any" in item else [item]
            for p, c in enumerate(alternatives):
                number = f"{g}{'abcdefgh'[p]}" if len(alternatives) > 1 else str(g)
                out.append(f"| {number} | {_test(c)} — {_cell(c['zh'])} | {_words(c, document)} | {_reading(c)} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def generated_part(markdown: str) -> str:
    """The part of a document between the markers (inclusive), or "" when it has none."""
    start, end = markdown.find(BEGIN), markdown.find(END)
    if start < 0 or end < start:
        return ""
    return markdown[start:end + len(END)]


def rewrite(markdown: str, table: str) -> str:
    """`markdown` with its generated part replaced by `table` (appended when there are no markers yet)."""
    current = generated_part(markdown)
    if not current:
        return markdown.rstrip("\n") + "\n\n" + table + "\n"
    return markdown.replace(current, table)
