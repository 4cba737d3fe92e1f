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
