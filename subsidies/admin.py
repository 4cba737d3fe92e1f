from django.contrib import admin

from .models import Article, Bureau, Clause, Document, DocumentIssuer, Measure, MeasureBureau


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ("short_name_zh", "full_name_zh", "name_en", "level", "district")
    list_filter = ("level",)
    search_fields = ("short_name_zh", "full_name_zh", "name_en")


class DocumentIssuerInline(admin.TabularInline):
    model = DocumentIssuer
    extra = 0


class ArticleInline(admin.StackedInline):
    model = Article
    extra = 0
    fields = ("key", "position", "number_zh", "heading_zh", "heading_en", "text")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("code", "title_zh", "doc_number", "published_on", "published_on_estimated", "effective_from", "effective_to")
    inlines = (DocumentIssuerInline, ArticleInline)
    search_fields = ("code", "title_zh", "title_en")


class MeasureBureauInline(admin.TabularInline):
    model = MeasureBureau
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("number", "title_zh", "document")
    inlines = (MeasureBureauInline,)


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ("code", "title_zh", "kind", "document", "achievement")
    list_filter = ("document", "kind")
    search_fields = ("code", "title_zh", "title_en", "quote")
    list_select_related = ("document",)


from .models import Application, ApplicationEvent, RoutingRule  # noqa: E402


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """The routing table: which bureau receives applications under a clause (default: its lead bureau)."""

    list_display = ("clause", "bureau", "two_stage", "note", "updated_at")
    list_select_related = ("clause", "bureau")
    autocomplete_fields = ("clause", "bureau")


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "action", "from_status", "to_status", "reason", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: applications change only through the workflow (pages, API), which writes their history."""

    list_display = ("reference", "clause", "organisation", "status", "stage", "bureau", "submitted_at")
    list_filter = ("status", "stage", "bureau")
    search_fields = ("reference", "organisation__name", "organisation__credit_code")
    list_select_related = ("clause", "organisation", "bureau")
    inlines = (ApplicationEventInline,)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
