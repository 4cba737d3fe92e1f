"""Read API of the catalogue: clauses under the current rule version, documents, bureaus and the facts vocabulary.

One view per use case; each calls one selector. These shapes are a contract other tools
rely on (tests/integration/test_api_catalogue.py pins them).
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue import selectors as catalogue_selectors
from catalogue.models import Bureau, Clause
from catalogue.serializers import CitationSerializer
from policy_portal.errors import ErrorSerializer
from policy_portal.exceptions import NotFound
from policy_portal.pagination import CataloguePagination, get_paginated_response
from rules import selectors as rule_selectors
from rules.models import ClauseRule
from rules.operators import FactType, Operator
from rules.selectors import condition_groups

from . import selectors

CATALOGUE_TAG = ["catalogue"]


def citation_of(rule: ClauseRule) -> dict:
    clause = rule.clause
    return {
        "document": clause.document.code,
        "article": clause.article.label_zh,
        "article_key": clause.article.key,
        "text": clause.quote,
    }


class ConditionSerializer(serializers.Serializer):
    fact = serializers.CharField(source="fact_id")
    operator = serializers.ChoiceField(choices=Operator.choices)
    value = serializers.JSONField(allow_null=True, help_text="As stored: dates as YYYY-MM-DD, ratios in percent.")
    message_zh = serializers.CharField()
    message_en = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    key = serializers.CharField()
    number_zh = serializers.CharField()
    heading_zh = serializers.CharField()
    heading_en = serializers.CharField()
    text = serializers.CharField()
    clauses = serializers.SerializerMethodField(help_text="Catalogue codes of the clauses in this article.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_clauses(self, article) -> list[str]:
        return [clause.code for clause in article.ordered_clauses]


class FactChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()


# ---------------------------------------------------------------- clauses


class ClauseListApi(APIView):
    """The 52 catalogue clauses as the current published rule version states them."""

    permission_classes = [AllowAny]
    pagination_class = CataloguePagination

    class FilterSerializer(serializers.Serializer):
        document = serializers.CharField(required=False, max_length=8, help_text="Document code, e.g. FIM.")
        kind = serializers.ChoiceField(choices=Clause.Kind.choices, required=False)
        bureau = serializers.CharField(
            required=False, max_length=40, help_text="Short name of any responsible bureau, e.g. 市科技局."
        )
        q = serializers.CharField(required=False, max_length=100, help_text="Text in the code or either title.")

    @extend_schema_serializer(component_name="Clause")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField(source="clause.code")
        document = serializers.CharField(source="clause.document.code")
        title_zh = serializers.CharField(source="clause.title_zh")
        title_en = serializers.CharField(source="clause.title_en")
        kind = serializers.ChoiceField(choices=Clause.Kind.choices, source="clause.kind")
        amount_yuan = serializers.IntegerField(allow_null=True)
        amount_kind = serializers.ChoiceField(choices=ClauseRule.AmountKind.choices)
        bureaus = serializers.SerializerMethodField(help_text="Short names of the responsible bureaus, lead first.")
        lead_bureau = serializers.CharField(source="lead_bureau.short_name_zh")
        citation = serializers.SerializerMethodField()
        effective_from = serializers.DateField()
        effective_to = serializers.DateField(allow_null=True, help_text="Exclusive; null when open-ended.")
        ruleset_version = serializers.IntegerField(source="version.number")

        @extend_schema_field(serializers.ListField(child=serializers.CharField()))
        def get_bureaus(self, rule) -> list[str]:
            return [link.bureau.short_name_zh for link in rule.ordered_bureaus]

        @extend_schema_field(CitationSerializer)
        def get_citation(self, rule) -> dict:
            return citation_of(rule)

    @extend_schema(
        tags=CATALOGUE_TAG,
        operation_id="clauses_list",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rules = selectors.clause_list(filters=filters.validated_data)
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=self.OutputSerializer,
            queryset=rules,
            request=request,
            view=self,
        )


class ClauseDetailApi(APIView):
    """One clause under the current published rule version, with its conditions."""

    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="ClauseDetail")
    class OutputSerializer(ClauseListApi.OutputSerializer):
        conditions = serializers.SerializerMethodField(
            help_text="Groups that must all hold; within a group any one condition suffices."
        )

        @extend_schema_field(serializers.ListField(child=serializers.ListField(child=ConditionSerializer())))
        def get_conditions(self, rule) -> list[list[dict]]:
            return [ConditionSerializer(group, many=True).data for group in condition_groups(rule)]

    @extend_schema(
        tags=CATALOGUE_TAG, operation_id="clauses_retrieve", responses={200: OutputSerializer, 404: ErrorSerializer}
    )
    def get(self, request, code: str):
        rule = selectors.clause_get(code=code)
        if rule is None:
            raise NotFound("not_found")
        return Response(self.OutputSerializer(rule).data)


# ---------------------------------------------------------------- documents


class DocumentListApi(APIView):
    """The five policy documents."""

    permission_classes = [AllowAny]
    pagination_class = CataloguePagination

    @extend_schema_serializer(component_name="Document")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        title_zh = serializers.CharField()
        title_en = serializers.CharField()
        doc_number = serializers.CharField()
        issuers = serializers.SerializerMethodField(help_text="Short names of the issuing bodies, in printed order.")
        dated = serializers.DateField()
        published_on = serializers.DateField()
        published_on_estimated = serializers.BooleanField()
        effective_from = serializers.DateField()
        effective_to = serializers.DateField(allow_null=True, help_text="Exclusive; null when open-ended.")

        @extend_schema_field(serializers.ListField(child=serializers.CharField()))
        def get_issuers(self, document) -> list[str]:
            return [link.bureau.short_name_zh for link in document.ordered_issuers]

    @extend_schema(tags=CATALOGUE_TAG, operation_id="documents_list", responses={200: OutputSerializer(many=True)})
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=self.OutputSerializer,
            queryset=catalogue_selectors.document_list(),
            request=request,
            view=self,
        )


class DocumentDetailApi(APIView):
    """One document, article by article, with the catalogue codes each article carries, and its full text."""

    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="DocumentDetail")
    class OutputSerializer(DocumentListApi.OutputSerializer):
        articles = ArticleSerializer(many=True, source="ordered_articles")
        full_text = serializers.CharField()

    @extend_schema(
        tags=CATALOGUE_TAG, operation_id="documents_retrieve", responses={200: OutputSerializer, 404: ErrorSerializer}
    )
    def get(self, request, code: str):
        document = catalogue_selectors.document_get(code=code)
        if document is None:
            raise NotFound("not_found")
        return Response(self.OutputSerializer(document).data)


# ---------------------------------------------------------------- bureaus


class BureauListApi(APIView):
    """The responsible units (责任单位) under the short names the documents print."""

    permission_classes = [AllowAny]
    pagination_class = CataloguePagination

    @extend_schema_serializer(component_name="Bureau")
    class OutputSerializer(serializers.Serializer):
        short_name_zh = serializers.CharField()
        full_name_zh = serializers.CharField()
        name_en = serializers.CharField()
        level = serializers.ChoiceField(choices=Bureau.Level.choices)

    @extend_schema(tags=CATALOGUE_TAG, operation_id="bureaus_list", responses={200: OutputSerializer(many=True)})
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=self.OutputSerializer,
            queryset=catalogue_selectors.bureau_list(),
            request=request,
            view=self,
        )


# ---------------------------------------------------------------- facts


class FactListApi(APIView):
    """The facts vocabulary an eligibility check accepts, with the clauses that use each fact (all 68 in one page)."""

    permission_classes = [AllowAny]
    pagination_class = CataloguePagination

    @extend_schema_serializer(component_name="Fact")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        section = serializers.CharField()
        type = serializers.ChoiceField(choices=FactType.choices)
        label_zh = serializers.CharField()
        label_en = serializers.CharField()
        help_zh = serializers.CharField()
        help_en = serializers.CharField()
        choices = FactChoiceSerializer(many=True, help_text="For enum and multi_enum facts; empty otherwise.")
        min_value = serializers.IntegerField(allow_null=True)
        max_value = serializers.IntegerField(allow_null=True)
        operators = serializers.SerializerMethodField(help_text="Operators a condition may apply to this fact's type.")
        used_by = serializers.ListField(
            child=serializers.CharField(), help_text="Codes of the clauses whose current conditions test this fact."
        )

        @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Operator.choices)))
        def get_operators(self, fact) -> list[str]:
            return rule_selectors.operators_for_type(fact.type)

    @extend_schema(
        tags=CATALOGUE_TAG,
        operation_id="facts_list",
        responses={200: OutputSerializer(many=True)},
        description="Every fact of the vocabulary; the default page (limit 100) holds them all.",
    )
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=self.OutputSerializer,
            queryset=rule_selectors.fact_list(),
            request=request,
            view=self,
        )

