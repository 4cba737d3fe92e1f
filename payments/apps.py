from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Publicity and payments")

    def ready(self):
        from notifications.kinds import Kind, register_kind
        from policy_portal.demo import register_seeder
        from policy_portal.messages import register

        from . import tasks  # noqa: F401 - register the beat task
        from .demo import seed
        from .messages import MESSAGES

        register(MESSAGES)
        register_seeder(60, "payments", seed)
        register_kind(Kind("payments.objection", _("Objections to a publicity list"),
                           _("An objection to %(organisation)s in %(title)s")))
        register_kind(Kind("payments.final", _("Publicity over, payment ordered"),
                           _("%(reference)s is final after publicity: %(amount_yuan)s will be paid")))
        register_kind(Kind("payments.reopened", _("Objections upheld in publicity"),
                           _("An objection to %(reference)s was upheld: the application is under review again")))
        register_kind(Kind("payments.paid", _("Payments made"),
                           _("%(amount_yuan)s paid for %(reference)s: please confirm receipt")))
