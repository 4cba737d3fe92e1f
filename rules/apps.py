from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Rule tables")

    def ready(self):
        from jobs.services import register_handler

        from .hooks import ruleset_published
        from .impact import KIND, impact_chunk
        from .loading import register
        from .selectors import on_ruleset_published

        register()
        register_handler(KIND, impact_chunk)
        # Every process learns of a publication through the version stamp (rules.selectors.current_version).
        ruleset_published.connect(on_ruleset_published, dispatch_uid="rules.version_stamp")
