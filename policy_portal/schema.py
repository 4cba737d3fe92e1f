"""OpenAPI generation for the house style's nested serializers.

Every API view nests its own `InputSerializer` / `OutputSerializer`, so drf-spectacular's
default component names ("InputRequest", "Output") would collide; a nested serializer is
named after the class that holds it instead (ApplicationDecideApi.InputSerializer →
ApplicationDecideInput). An explicit `extend_schema_serializer(component_name=…)` still wins.
"""
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer, direction):
        owner, _, name = type(serializer).__qualname__.rpartition(".")
        if owner and "<locals>" not in owner:
            holder = owner.rpartition(".")[2].removesuffix("Api")
            return holder + name.removesuffix("Serializer")
        return super().get_serializer_name(serializer, direction)
