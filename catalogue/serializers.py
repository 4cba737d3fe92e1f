"""API shapes of catalogue rows shared by the library and the eligibility check."""
from rest_framework import serializers


class CitationSerializer(serializers.Serializer):
    """Where a clause is written: the document code, the article label and key, and the clause's own words."""

    document = serializers.CharField(help_text="Document code, e.g. FIM.")
    article = serializers.CharField(help_text="The article's number and heading, e.g. 10.培育未来产业标志性产品.")
    article_key = serializers.CharField()
    text = serializers.CharField(help_text="The clause quote, an exact passage of the article.")
