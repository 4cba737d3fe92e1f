from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Policy matching")

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.models import Organisation
        from jobs.services import register_handler
        from notifications.kinds import register_kind
        from policy_portal import messages
        from rules.hooks import ruleset_published
        from subsidies.hooks import application_approved

        from .kinds import KINDS
        from .messages import MESSAGES
        from .services.matching import KIND, match_chunk, on_application_approved, on_ruleset_published
        from .services.profiles import on_organisation_saved

        messages.register(MESSAGES)
        for kind in KINDS:
            register_kind(kind)
        register_handler(KIND, match_chunk)
        ruleset_published.connect(on_ruleset_published, dispatch_uid="matching.rematch")
        # Connected after carriers' receiver (INSTALLED_APPS order): the register entry is written first.
        application_approved.connect(on_application_approved, dispatch_uid="matching.approval")
        # A registration that names the credit code of a prospective organisation claims its imported facts.
        post_save.connect(on_organisation_saved, sender=Organisation, dispatch_uid="matching.claim")
