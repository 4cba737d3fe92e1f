"""manage.py seed_demo: create the administrator and demo users of each role (idempotent); print them as JSON.
Then the seeders apps register (policy_portal.demo) add demo content once: applications in every state, budgets,
a publicity list, payments; what they made goes to stderr.

Demo accounts have known passwords, so the command refuses to run with DEBUG off unless
--force is given.
"""
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organisation, Profile, Role
from catalogue.models import Bureau
from policy_portal.demo import seeders

ORGANISATIONS = [
    {"name": "重庆未来智造科技有限公司", "credit_code": "91500112MA60KD7L2J", "district": "渝北区", "org_type": "enterprise",
     "status": "verified"},
    {"name": "重庆示范大学", "credit_code": "12500000450401234E", "district": "沙坪坝区", "org_type": "university",
     "status": "verified"},
]
OFFICER_BUREAUS = [
    ("officer-jxw", "市经济信息委"),
    ("officer-kjj", "市科技局"),
    ("officer-fgw", "市发展改革委"),
    ("officer-jw", "市教委"),
    ("officer-rsj", "市人力社保局"),
    ("officer-zscq", "市知识产权局"),
    ("officer-jrb", "市委金融办"),
    ("officer-czj", "市财政局"),
    ("officer-gzw", "市国资委"),
    ("officer-rh", "人行重庆市分行"),
    ("officer-yubei", "渝北区发展改革委"),
]


def demo_users():
    users = [
        {"username": "admin", "password": "admin-demo-2026", "role": Role.ADMIN, "bureau": None, "organisation": None},
        {"username": "ruleadmin", "password": "ruleadmin-demo-2026", "role": Role.RULE_ADMIN, "bureau": None, "organisation": None},
        {"username": "applicant", "password": "applicant-demo-2026", "role": Role.APPLICANT, "bureau": None,
         "organisation": ORGANISATIONS[0]["credit_code"]},
        {"username": "university", "password": "university-demo-2026", "role": Role.APPLICANT, "bureau": None,
         "organisation": ORGANISATIONS[1]["credit_code"]},
    ]
    users += [
        {"username": u, "password": f"{u}-demo-2026", "role": Role.OFFICER, "bureau": b, "organisation": None}
        for u, b in OFFICER_BUREAUS
    ]
    return users


class Command(BaseCommand):
    help = "Create the administrator and demo users of each role (idempotent) and print them as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow running with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have known passwords: run with DJANGO_DEBUG=1 or --force.")
        User = get_user_model()
        orgs = {}
        for spec in ORGANISATIONS:
            org = Organisation.objects.filter(credit_code=spec["credit_code"]).first() or Organisation(**spec)
            for key, value in spec.items():
                setattr(org, key, value)
            org.full_clean()
            org.save()
            orgs[spec["credit_code"]] = org
        rule_admins, _ = Group.objects.get_or_create(name="rule_administrators")
        rule_admins.permissions.set(Permission.objects.filter(content_type__app_label="rules"))
        printed = []
        for spec in demo_users():
            user, created = User.objects.get_or_create(username=spec["username"])
            if created or not user.check_password(spec["password"]):
                user.set_password(spec["password"])
            user.email = f"{spec['username']}@demo.policy-portal.local"
            user.is_staff = spec["role"] in (Role.ADMIN, Role.RULE_ADMIN)
            user.is_superuser = spec["role"] == Role.ADMIN
            user.save()
            if spec["role"] == Role.RULE_ADMIN:
                user.groups.add(rule_admins)
            bureau = Bureau.objects.get(short_name_zh=spec["bureau"]) if spec["bureau"] else None
            Profile.objects.update_or_create(
                user=user,
                defaults={"role": spec["role"], "bureau": bureau,
                          "organisation": orgs.get(spec["organisation"]) if spec["organisation"] else None},
            )
            printed.append({"username": spec["username"], "password": spec["password"], "role": str(spec["role"]),
                            "bureau": spec["bureau"]})
        users = {u.username: u for u in User.objects.filter(username__in=[p["username"] for p in printed])}
        for name, seeder in seeders():
            self.stderr.write(f"{name}: {seeder(users=users)}")
        self.stdout.write(json.dumps(printed, ensure_ascii=False, indent=2))
