"""Administrators edit how clauses pay in parts; 公示 and payments are read here, changed only through services."""
from django.contrib import admin

from .models import InstalmentPlan, PaymentOrder, PublicityList


@admin.register(InstalmentPlan)
class InstalmentPlanAdmin(admin.ModelAdmin):
    """A clause paid in parts, e.g. [{"label_zh": "建设期", "label_en": "Construction", "percent": 60}, …]."""

    list_display = ("clause", "parts")
    list_select_related = ("clause",)
    autocomplete_fields = ("clause",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicityList)
class PublicityListAdmin(ReadOnly):
    list_display = ("title", "clause", "bureau", "starts_on", "ends_on", "status")
    list_select_related = ("clause", "bureau")
    list_filter = ("status",)


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnly):
    list_display = ("application", "amount_yuan", "payer", "status", "created_at")
    list_select_related = ("application", "payer")
    list_filter = ("status",)
