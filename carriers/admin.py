from django.contrib import admin

from .models import ComplexMember, IncubationCarrier, IndustryInnovationCentre, IndustryResearchInstitute, InnovationComplex


@admin.register(IndustryResearchInstitute)
class IndustryResearchInstituteAdmin(admin.ModelAdmin):
    list_display = ("name", "mode", "district", "recognised_on")
    list_filter = ("mode",)
    search_fields = ("name",)


class ComplexMemberInline(admin.TabularInline):
    model = ComplexMember
    extra = 0


@admin.register(InnovationComplex)
class InnovationComplexAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "lead_unit", "governance_complete")
    list_filter = ("kind",)
    inlines = (ComplexMemberInline,)


@admin.register(IncubationCarrier)
class IncubationCarrierAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "miit_grade")
    list_filter = ("kind", "level", "miit_grade")


@admin.register(IndustryInnovationCentre)
class IndustryInnovationCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_unit", "supervising_bureau", "recognised_on")
