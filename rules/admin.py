"""Admin for the rule tables: read-only.

Rule versions change only through the rules services (the /rules/ pages, the API, spreadsheet import,
load_policies), which validate every row, freeze a draft once it is submitted, record who changed what,
and refuse publication by anyone who changed the version. An edit here would bypass all of that, so
versions, their clause rules and conditions can be looked at in the admin but not added, changed or
deleted. The facts vocabulary comes from fixtures/facts.yaml and is read-only too.
"""
from django.contrib import admin

from .models import ClauseRule, ClauseRuleBureau, Condition, Fact, GoldenCase, RuleEvent, RuleVersion


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fact)
class FactAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("code", "label_zh", "label_en", "type", "section")
    list_filter = ("type", "section")
    search_fields = ("code", "label_zh", "label_en")


class ClauseRuleInline(ReadOnly, admin.TabularInline):
    model = ClauseRule
    extra = 0
    fields = ("clause", "amount_yuan", "amount_kind", "effective_from", "effective_to", "lead_bureau")
    show_change_link = True


class RuleEventInline(ReadOnly, admin.TabularInline):
    model = RuleEvent
    extra = 0
    fields = ("created_at", "actor", "action", "note", "data")
    readonly_fields = fields


@admin.register(RuleVersion)
class RuleVersionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("number", "status", "source", "published_at", "published_by", "note")
    list_filter = ("status", "source")
    inlines = (ClauseRuleInline, RuleEventInline)


class ClauseRuleBureauInline(ReadOnly, admin.TabularInline):
    model = ClauseRuleBureau
    extra = 0


class ConditionInline(ReadOnly, admin.TabularInline):
    model = Condition
    extra = 0
    fields = ("group", "position", "fact", "operator", "value", "message_zh", "message_en")


@admin.register(ClauseRule)
class ClauseRuleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("clause", "version", "amount_yuan", "amount_kind", "lead_bureau", "effective_from", "effective_to")
    list_filter = ("version", "amount_kind")
    list_select_related = ("clause", "version", "lead_bureau")
    inlines = (ClauseRuleBureauInline, ConditionInline)


@admin.register(GoldenCase)
class GoldenCaseAdmin(ReadOnly, admin.ModelAdmin):
    """Cases are edited on /rules/cases/, which records who changed them."""

    list_display = ("name", "clause", "as_of", "expected", "amount_yuan", "source")
    list_filter = ("expected",)
    search_fields = ("name", "clause__code")
