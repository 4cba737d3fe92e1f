from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Rule tables")

    def ready(self):
        from accounts.choices import register_choices
        from policy_portal import messages

        from . import messages as rule_messages
        from .loading import register
        from .selectors import fact_choices

        register()
        messages.register(rule_messages.MESSAGES)
        register_choices("org_type", lambda: fact_choices("org_type"))
