from django.contrib import admin

from .models import (
    CarrierEvent,
    CentreAnnualReport,
    CentreEvaluation,
    CentreFraudFinding,
    ComplexAssessment,
    ComplexMember,
    IICIndicator,
    IICScoreSheet,
    IncubationCarrier,
    IncubatorAssessment,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
    InstituteAssessment,
    Target,
)

# The status moves only through its events (carriers.services.registers), never by editing the field.
STATUS_FIELDS = ("status", "status_changed_on")


@admin.register(IndustryResearchInstitute)
class IndustryResearchInstituteAdmin(admin.ModelAdmin):
    list_display = ("name", "mode", "district", "recognised_on", "status")
    list_filter = ("mode", "status")
    search_fields = ("name",)
    readonly_fields = STATUS_FIELDS


class ComplexMemberInline(admin.TabularInline):
    model = ComplexMember
    extra = 0


@admin.register(InnovationComplex)
class InnovationComplexAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "lead_unit", "governance_complete", "status")
    list_filter = ("kind", "status")
    readonly_fields = STATUS_FIELDS
    inlines = (ComplexMemberInline,)


@admin.register(IncubationCarrier)
class IncubationCarrierAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "miit_grade", "status")
    list_filter = ("kind", "level", "miit_grade", "status")
    readonly_fields = STATUS_FIELDS


@admin.register(IndustryInnovationCentre)
class IndustryInnovationCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_unit", "supervising_bureau", "recognised_on", "status")
    list_filter = ("status",)
    readonly_fields = STATUS_FIELDS


@admin.register(InstituteAssessment, ComplexAssessment, IncubatorAssessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "rating", "bureau", "assessed_by")
    list_filter = ("year", "rating")


@admin.register(CentreAnnualReport, CentreEvaluation, CentreFraudFinding)
class CentreRecordAdmin(admin.ModelAdmin):
    list_display = ("__str__", "centre")


@admin.register(IICScoreSheet)
class IICScoreSheetAdmin(admin.ModelAdmin):
    list_display = ("application", "bureau", "total", "scored_by", "updated_at")
    readonly_fields = ("scores", "bonus", "base_total", "bonus_total", "total")


@admin.register(IICIndicator)
class IICIndicatorAdmin(admin.ModelAdmin):
    """附件2 as loaded by `manage.py load_carriers`; change it in fixtures/iic_indicators.yaml."""

    list_display = ("key", "level", "name_zh", "points", "parent")
    list_filter = ("level",)
    ordering = ("position",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("document", "key", "year", "op", "value", "unit", "measure")
    list_filter = ("document", "year")


@admin.register(CarrierEvent)
class CarrierEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "object_id", "action", "actor", "bureau")
    list_filter = ("kind", "action")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
