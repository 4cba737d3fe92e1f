from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = _("Innovation carriers")

    def ready(self):
        from catalogue.loading import register_loader
        from policy_portal import messages
        from policy_portal.demo import register_seeder
        from subsidies.hooks import application_approved

        from .demo import seed
        from .loading import load_into_report
        from .messages import MESSAGES
        from .recognition import on_application_approved

        messages.register(MESSAGES)
        register_seeder(50, "carriers", seed)
        register_loader(50, "carriers.data", load_into_report)
        application_approved.connect(on_application_approved, dispatch_uid="carriers.recognition")
