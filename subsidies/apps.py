from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Applications")

    def ready(self):
        from catalogue.loading import register_loader
        from jobs.services import register_handler
        from policy_portal import messages
        from rules.hooks import register_impact_subject_keys, register_impact_subjects, ruleset_published

        from . import tasks  # noqa: F401 - register the tasks that services queue by name
        from .impact import SOURCE, application_subject_keys, application_subjects
        from .loading import load_routing
        from .messages import MESSAGES
        from .selectors_applications import impact_subjects
        from .services.reevaluation import KIND, on_ruleset_published, reevaluate_chunk

        messages.register(MESSAGES)
        from notifications.kinds import register_kind

        from .notices import KINDS

        for kind in KINDS:
            register_kind(kind)
        register_loader(40, "subsidies.routing", load_routing)
        register_handler(KIND, reevaluate_chunk)
        ruleset_published.connect(on_ruleset_published, dispatch_uid="subsidies.reevaluation")
        register_impact_subjects(impact_subjects)
        register_impact_subject_keys(SOURCE, application_subject_keys, application_subjects)
