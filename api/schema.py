"""The OpenAPI document of /api/v1/ (drf-spectacular): only the versioned paths, and every error an
operation really answers documented with its body, so a client generated from it (or a checker such
as schemathesis) meets no undocumented status."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

VERSION_PREFIX = "/api/v1/"

ERROR = {
    "type": "object",
    "description": "A refusal that concerns the whole request: authentication, permission, not found, too many.",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in Thai unless English is chosen"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Per-field errors: each key names the field or query parameter that was wrong (non_field_errors for "
        "the request as a whole), with its messages; a nested object holds the errors of a nested value "
        "(e.g. values.bod). A body that cannot be read at all (malformed JSON) is {detail: message}."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
            {"type": "string"},
        ]
    },
}

# status → (component name, schema, description)
ERRORS = {
    "400": ("FieldErrors", FIELD_ERRORS, "Invalid input (a body field or a query parameter); nothing was changed"),
    "401": ("Error", ERROR, "No valid credentials: send `Authorization: Token <key>` (or a session)"),
    "403": ("Error", ERROR, "Authenticated, but not allowed to do this (or a session request without CSRF token)"),
    "404": ("Error", ERROR, "No such object open to the caller, no such page, or no such path"),
    "409": ("Error", ERROR, "A request with this Idempotency-Key is still being processed"),
    "422": ("Error", ERROR, "This Idempotency-Key was already used with a different request"),
    "429": ("Error", ERROR, "Too many requests from this address or account; try again later"),
}


def versioned_only(endpoints):
    """Preprocessing hook: the unversioned /api/ aliases serve the same views; document /api/v1/ once."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(VERSION_PREFIX)]


class ApiSchema(AutoSchema):
    """AutoSchema, plus the error responses DRF and our views give, where they can occur."""

    def error_codes(self) -> set[str]:
        view = self.view
        codes = set()
        reads_input = self.method in ("POST", "PUT", "PATCH")
        is_list = self.method == "GET" and self._is_list_view()
        if reads_input or self.method == "GET":  # a bad body; a bad or unknown query parameter (api.base)
            codes.add("400")
        if view.authentication_classes:  # a wrong or expired token is refused even where no login is needed
            codes.add("401")
        if not all(permission is AllowAny for permission in view.permission_classes):
            codes.update({"401", "403"})
        if "{" in self.path or is_list:  # an object not open to the caller, or a page past the last
            codes.add("404")
        if view.throttle_classes:
            codes.add("429")
        return codes

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "id":  # an object id (api.base.ID_IN_PATH)
                parameter["schema"] = {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10**18 - 1}
        if not self.view.authentication_classes:
            operation["security"] = []  # says it outright: no credentials needed (none are read)
        responses = operation.setdefault("responses", {})
        for code in sorted(self.error_codes() | (set(responses) & set(ERRORS))):
            name, schema, description = ERRORS[code]
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
            registry.register_on_missing(component)
            documented = responses.setdefault(code, {"description": description})
            documented.setdefault("content", {"application/json": {"schema": component.ref}})
        return operation
