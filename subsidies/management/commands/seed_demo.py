"""manage.py seed_demo: create the administrator and demo users idempotently and print them as JSON.

Demo accounts are for the embedded (DEBUG) set-up only: the command refuses to run with
DEBUG off unless --force is given, so production never gets known passwords.
"""
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ROLE_GROUPS = {
    "applicant": "applicants",
    "rule_admin": "rule_administrators",
}
DEMO_USERS = [
    {"username": "admin", "password": "admin-demo-2026", "role": "admin", "bureau": None},
    {"username": "applicant", "password": "applicant-demo-2026", "role": "applicant", "bureau": None},
    {"username": "ruleadmin", "password": "ruleadmin-demo-2026", "role": "rule_admin", "bureau": None},
]


class Command(BaseCommand):
    help = "Create the administrator and demo users (idempotent) and print them as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow running with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have known passwords: run with DJANGO_DEBUG=1 or --force.")
        User = get_user_model()
        rule_perms = Permission.objects.filter(content_type__app_label="rules")
        groups = {}
        for role, name in ROLE_GROUPS.items():
            groups[role], _ = Group.objects.get_or_create(name=name)
        groups["rule_admin"].permissions.set(rule_perms)
        for spec in DEMO_USERS:
            user, created = User.objects.get_or_create(username=spec["username"])
            if created or not user.check_password(spec["password"]):
                user.set_password(spec["password"])
            user.is_staff = spec["role"] in ("admin", "rule_admin")
            user.is_superuser = spec["role"] == "admin"
            user.save()
            if spec["role"] in groups:
                user.groups.add(groups[spec["role"]])
        self.stdout.write(json.dumps(DEMO_USERS, ensure_ascii=False, indent=2))
