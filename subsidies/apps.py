from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Applications")

    def ready(self):
        from catalogue.loading import register_loader

        from .loading import load_routing

        register_loader(40, "subsidies.routing", load_routing)
