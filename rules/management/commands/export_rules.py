"""`manage.py export_rules [--version N] --format xlsx|yaml -o FILE`: a rule version's tables as Excel or YAML."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rules.models import RuleVersion
from rules.selectors import NoPublishedVersion, current_version, version_by_number
from rules.spreadsheets import version_export_xlsx, version_export_yaml

SUFFIXES = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}


class Command(BaseCommand):
    help = "Write a rule version's clauses and conditions as an Excel workbook or YAML (default: the current version)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the rule version here, replacing Django's "print the Django version" flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--version", dest="version", type=int, help="Rule version number (default: the current one).")
        parser.add_argument("--format", dest="format", choices=["xlsx", "yaml"],
                            help="Default: from the output file's suffix (.xlsx, .yaml, .yml).")
        parser.add_argument("-o", "--output", dest="output", required=True, help='Output file; "-" writes YAML to stdout.')

    def handle(self, *args, version=None, format=None, output=None, **options):
        fmt = format or SUFFIXES.get(Path(output).suffix.lower())
        if fmt is None:
            raise CommandError("--format: say xlsx or yaml (the output file's suffix does not tell).")
        if output == "-" and fmt != "yaml":
            raise CommandError("-o: a workbook cannot be written to stdout; name a file.")
        try:
            rule_version = current_version() if version is None else version_by_number(version)
        except RuleVersion.DoesNotExist:
            raise CommandError(f"--version: there is no rule version {version}.") from None
        except NoPublishedVersion as exc:
            raise CommandError(str(exc)) from None
        if fmt == "xlsx":
            Path(output).write_bytes(version_export_xlsx(rule_version))
        elif output == "-":
            self.stdout.write(version_export_yaml(rule_version), ending="")
            return
        else:
            Path(output).write_text(version_export_yaml(rule_version), encoding="utf-8")
        self.stderr.write(f"Wrote v{rule_version.number} ({rule_version.status}) as {fmt} to {output}.")
