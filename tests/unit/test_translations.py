"""The Chinese catalogues are complete and their compiled .mo files match the .po sources."""
import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def parse_po(path: Path) -> dict[str, str]:
    """msgid (with msgctxt joined by \\x04, as gettext does) → msgstr; fuzzy entries marked with a leading '#fuzzy'."""
    entries, current, key, fuzzy = {}, {}, None, False
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current and current["msgid"]:
                msgid = current["msgid"] if "msgctxt" not in current else f"{current['msgctxt']}\x04{current['msgid']}"
                entries[msgid] = ("#fuzzy" if fuzzy else "") + current.get("msgstr", current.get("msgstr[0]", ""))
            current, key, fuzzy = {}, None, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
    return entries


def test_there_are_catalogues():
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(po):
    entries = parse_po(po)

    assert entries
    assert [m for m, t in entries.items() if not t or t.startswith("#fuzzy")] == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_its_source(po):
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog

    source = {m: t for m, t in parse_po(po).items()}

    assert {m: compiled.get(m, compiled.get((m, 0))) for m in source} == source  # plurals are keyed (msgid, n)
