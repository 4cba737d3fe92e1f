"""OpenAPI generation for the house style: nested serializers named after their view, and every operation's errors.

Every API view nests its own `InputSerializer` / `OutputSerializer`, so drf-spectacular's default component
names ("InputRequest", "Output") would collide; a nested serializer is named after the class that holds it
instead (ApplicationDecideApi.InputSerializer → ApplicationDecideInput). An explicit
`extend_schema_serializer(component_name=…)` still wins.

Errors all have one shape ({code, message, field}, policy_portal.errors); an operation documents each status
it can answer with it — bad input (400), not signed in (401), not allowed (403), not found (404, when the path
names something), conflicts (409, on writes), a body too large (413, on writes), a media type it does not read (415, on writes), throttling (429) and the
engine or nothing published (503) — unless the view documents that status itself.
"""
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer, direction):
        owner, _, name = type(serializer).__qualname__.rpartition(".")
        if owner and "<locals>" not in owner:
            holder = owner.rpartition(".")[2].removesuffix("Api")
            return holder + name.removesuffix("Serializer")
        return super().get_serializer_name(serializer, direction)

    def _error_statuses(self) -> list[str]:
        codes = ["400", "429", "503"]
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not public or self.method in WRITES:
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in WRITES:
            codes += ["409", "413", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        from .errors import ErrorSerializer  # errors imports DRF's views, whose settings load this module

        for code in self._error_statuses():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
