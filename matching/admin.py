from django.contrib import admin

from .models import ClauseMatching, ListImport, ListKind, Match, OrganisationFact, ProspectiveOrganisation


@admin.register(ListKind)
class ListKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "updated_at")
    search_fields = ("code", "name_zh")


@admin.register(ListImport)
class ListImportAdmin(admin.ModelAdmin):
    list_display = ("kind", "file_name", "state", "created_by", "created_at", "applied_at")
    list_filter = ("state", "kind")
    readonly_fields = ("rows", "summary", "job")


@admin.register(OrganisationFact)
class OrganisationFactAdmin(admin.ModelAdmin):
    list_display = ("organisation", "prospect", "fact", "value", "source", "confirmed_at")
    list_filter = ("source",)
    search_fields = ("organisation__name", "organisation__credit_code", "fact")
    raw_id_fields = ("organisation", "prospect", "recorded_by", "list_import")


@admin.register(ProspectiveOrganisation)
class ProspectiveOrganisationAdmin(admin.ModelAdmin):
    list_display = ("credit_code", "name", "created_at", "claimed_by")
    search_fields = ("credit_code", "name")
    raw_id_fields = ("claimed_by",)


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("organisation", "clause", "status", "rule_version", "first_seen", "reason")
    list_filter = ("status", "clause")
    search_fields = ("organisation__name", "organisation__credit_code")
    raw_id_fields = ("organisation", "application", "decided_by")


@admin.register(ClauseMatching)
class ClauseMatchingAdmin(admin.ModelAdmin):
    list_display = ("clause", "no_application", "set_by", "set_at")
