from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Rule tables")

    def ready(self):
        from accounts.choices import register_choices

        from .loading import register
        from .selectors import fact_choices

        register()
        register_choices("org_type", lambda: fact_choices("org_type"))
