from django.contrib import admin

from .models import Organisation, Profile


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "district", "org_type")
    search_fields = ("name", "credit_code")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Roles: an applicant belongs to an organisation, an officer to a bureau (checked by constraints)."""

    list_display = ("user", "role", "organisation", "bureau")
    list_filter = ("role", "bureau")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("user", "organisation", "bureau")
