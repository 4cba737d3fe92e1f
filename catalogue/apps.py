from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Policy catalogue")

    def ready(self):
        from accounts.choices import register_choices

        from .selectors import districts

        register_choices("district", districts)
