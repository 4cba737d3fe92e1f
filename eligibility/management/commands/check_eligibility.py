"""`manage.py check_eligibility FILE.json [--as-of DATE] [--ruleset-version N]`: the API's check, from a file.

FILE (or `-` for stdin) holds either {"facts": {...}, "as_of": ..., "ruleset_version": ...}
or a bare facts object. The options win over the file. The answer is the API's JSON.
"""
from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from eligibility.services import eligibility_check
from policy_portal.parsers import JsonInputError, load_json
from rules.engine import EngineDisagreement, EngineError, EngineLimitError
from rules.operators import FactError, parse_iso_date
from rules.selectors import NoPublishedVersion

ENVELOPE_KEYS = {"facts", "as_of", "ruleset_version"}


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise CommandError(f"--ruleset-version: expected a positive whole number, got {raw!r}.")
    return value


class Command(BaseCommand):
    help = "Check which clauses the facts in FILE.json qualify for; prints the JSON of POST /api/v1/eligibility/check."

    def add_arguments(self, parser):
        parser.add_argument("file", help='A JSON file of facts, or of {"facts": …, "as_of": …}; "-" reads stdin.')
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: the file's as_of, else today).")
        parser.add_argument("--ruleset-version", dest="ruleset_version", help="A published rule version number.")

    def handle(self, *args, **options):
        payload = self._read(options["file"])
        facts, as_of, version = self._unpack(payload)
        if options["as_of"] is not None:
            as_of = options["as_of"]
        if options["ruleset_version"] is not None:
            version = _positive_int(options["ruleset_version"])
        try:
            if as_of is not None:
                as_of = parse_iso_date(as_of, "as_of")
            result = eligibility_check(facts=facts, as_of=as_of, ruleset_version=version)
        except FactError as exc:
            raise CommandError(f"{exc.field}: {exc.detail}") from None  # the command line speaks English
        except EngineLimitError as exc:
            raise CommandError(f"facts: {exc}") from None
        except (EngineError, EngineDisagreement, NoPublishedVersion) as exc:
            raise CommandError(f"The rule engine could not answer: {exc}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read(self, name: str):
        try:
            if name == "-":
                raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            else:
                with open(name, "rb") as fh:
                    raw = fh.read()
        except OSError as exc:
            raise CommandError(f"{name}: cannot read ({exc.strerror}).") from None
        try:
            return load_json(raw)
        except JsonInputError as exc:
            raise CommandError(f"{name}: {exc}") from None

    def _unpack(self, payload):
        if not isinstance(payload, dict):
            raise CommandError('facts: expected a JSON object of facts, or {"facts": {…}, "as_of": …}.')
        if "facts" not in payload:
            return payload, None, None
        unknown = sorted(set(payload) - ENVELOPE_KEYS)
        if unknown:
            raise CommandError(f"{unknown[0]}: unknown field; expected facts, as_of and ruleset_version.")
        version = payload.get("ruleset_version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise CommandError("ruleset_version: expected the number of a published rule version.")
        return payload["facts"], payload.get("as_of"), version
