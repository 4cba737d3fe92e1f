"""Admin for the rule tables. Published versions are immutable: their rows are read-only here."""
from django.contrib import admin

from .models import ClauseRule, ClauseRuleBureau, Condition, Fact, RuleVersion


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ("code", "label_zh", "label_en", "type", "section")
    list_filter = ("type", "section")
    search_fields = ("code", "label_zh", "label_en")


class ImmutableWhenPublished:
    """Rows of a published (or retired) version cannot be changed, added or deleted."""

    def _locked(self, obj):
        version = obj if isinstance(obj, RuleVersion) else getattr(obj, "version", None)
        return version is not None and version.status in (RuleVersion.Status.PUBLISHED, RuleVersion.Status.RETIRED)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._locked(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._locked(obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and not (obj and self._locked(obj))


class ClauseRuleInline(ImmutableWhenPublished, admin.TabularInline):
    model = ClauseRule
    extra = 0
    fields = ("clause", "amount_yuan", "amount_kind", "effective_from", "effective_to", "lead_bureau")
    show_change_link = True


@admin.register(RuleVersion)
class RuleVersionAdmin(ImmutableWhenPublished, admin.ModelAdmin):
    list_display = ("number", "status", "published_at", "published_by", "note")
    list_filter = ("status",)
    readonly_fields = ("checksum", "created_at", "created_by", "published_at", "published_by")
    inlines = (ClauseRuleInline,)


class ClauseRuleBureauInline(admin.TabularInline):
    model = ClauseRuleBureau
    extra = 0


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 0
    fields = ("group", "position", "fact", "operator", "value", "message_zh", "message_en")


@admin.register(ClauseRule)
class ClauseRuleAdmin(ImmutableWhenPublished, admin.ModelAdmin):
    list_display = ("clause", "version", "amount_yuan", "amount_kind", "lead_bureau", "effective_from", "effective_to")
    list_filter = ("version", "amount_kind")
    list_select_related = ("clause", "version", "lead_bureau")
    inlines = (ClauseRuleBureauInline, ConditionInline)

    def _locked(self, obj):
        return obj is not None and obj.version.status in (RuleVersion.Status.PUBLISHED, RuleVersion.Status.RETIRED)
