from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Rule tables")

    def ready(self):
        from accounts.choices import register_choices
        from jobs.services import register_handler
        from policy_portal import messages

        from . import messages as rule_messages
        from .hooks import ruleset_published
        from .impact import KIND, impact_chunk
        from .loading import register
        from .selectors import fact_choices, on_ruleset_published

        register()
        messages.register(rule_messages.MESSAGES)
        register_choices("org_type", lambda: fact_choices("org_type"))
        register_handler(KIND, impact_chunk)
        # Every process learns of a publication through the version stamp (rules.selectors.current_version).
        ruleset_published.connect(on_ruleset_published, dispatch_uid="rules.version_stamp")
