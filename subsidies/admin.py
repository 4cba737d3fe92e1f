from django.contrib import admin

from .models import Appeal, Application, ApplicationEvent, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """The routing table: which bureau receives applications under a clause (default: its lead bureau)."""

    list_display = ("clause", "bureau", "two_stage", "review_days", "appeal_days", "note", "updated_at")
    list_select_related = ("clause", "bureau")
    autocomplete_fields = ("clause", "bureau")


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "action", "from_status", "to_status", "reason", "data")

    def has_add_permission(self, request, obj=None):
        return False


class AppealInline(admin.TabularInline):
    """复核: read-only; appeals are made and decided through the workflow."""

    model = Appeal
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "created_by", "reason", "rejected_by", "assigned_to", "outcome",
                                "decision", "decided_by", "decided_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: applications change only through the workflow (pages, API), which writes their history."""

    list_display = ("reference", "clause", "organisation", "status", "stage", "bureau", "submitted_at", "due_on")
    list_filter = ("status", "stage", "bureau")
    search_fields = ("reference", "organisation__name", "organisation__credit_code")
    list_select_related = ("clause", "organisation", "bureau")
    inlines = (ApplicationEventInline, AppealInline)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
