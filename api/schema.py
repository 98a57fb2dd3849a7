"""The OpenAPI document of /api/v1/ (drf-spectacular): only the versioned paths, and every error an
operation really answers documented with the one Error component (api.errors), so a client generated
from it (or a checker such as schemathesis) meets no undocumented status or body."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

from . import etag

VERSION_PREFIX = "/api/v1/"


def error_component() -> dict:
    from .errors import CODES

    codes = "; ".join(f"`{code}`: {text}" for code, text in CODES.items())
    return {
        "type": "object",
        "description": f"Every error of the API, whatever its status. Codes: {codes}.",
        "properties": {
            "code": {"type": "string", "description": "What went wrong, for machines (stable, snake_case)"},
            "message": {
                "type": "string",
                "description": "What went wrong, for people: Thai unless `Accept-Language: en` (or the cookie)",
            },
            "fields": {
                "type": "object",
                "description": (
                    "Each field or query parameter that was wrong, with its messages (a nested value by a dotted "
                    "path, e.g. values.bod; non_field_errors for the request as a whole); empty otherwise"
                ),
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["code", "message", "fields"],
    }


# status → description; each answers with the one Error component
ERRORS = {
    "400": "Invalid input (a body field or a query parameter: see fields); nothing was changed",
    "401": "No valid credentials: send `Authorization: Token <key>` (or a session)",
    "403": "Authenticated, but not allowed to do this (or a session request without CSRF token)",
    "404": "No such object open to the caller, no such page, or no such path",
    "409": "A conflict: the task is taken, closed or busy, or a request with this Idempotency-Key is in progress",
    "422": "This Idempotency-Key was already used with a different request",
    "413": "The body is larger than the server takes (`too_large`, REQUEST_MAX_BYTES); nothing was read or stored",
    "429": "Too many requests from this address or account; try again later",
    "503": "The signed document is not ready (`document_pending`): try again after `Retry-After` seconds",
}


def versioned_only(endpoints):
    """Preprocessing hook: the unversioned /api/ aliases serve the same views; document /api/v1/ once."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(VERSION_PREFIX)]


class ApiSchema(AutoSchema):
    """AutoSchema, plus the error responses DRF and our views give, where they can occur."""

    def is_public(self) -> bool:
        """No credentials read: a view without authentication, or a method or action the view names public
        (e.g. POST /token/, where a person logs in, DELETE there needing the token; filing a complaint)."""
        if not self.view.authentication_classes or self.method in getattr(self.view, "public_methods", ()):
            return True
        return getattr(self.view, "action", None) in getattr(self.view, "public_actions", ())

    def error_codes(self) -> set[str]:
        view = self.view
        codes = set()
        is_list = self.method == "GET" and self._is_list_view()
        codes.add("400")  # a bad body; a bad or unknown query parameter (api.base); a DELETE without a token
        if self.is_public():
            pass  # no credentials are read, so none are refused
        elif view.authentication_classes:  # a wrong or expired token is refused even where no login is needed
            codes.add("401")
        if not self.is_public() and not all(permission is AllowAny for permission in view.permission_classes):
            codes.update({"401", "403"})
        if "{" in self.path or is_list:  # an object not open to the caller, or a page past the last
            codes.add("404")
        if view.throttle_classes:
            codes.add("429")
        if self.method in ("POST", "PUT", "PATCH"):  # a body over REQUEST_MAX_BYTES (project.middleware)
            codes.add("413")
        return codes

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "id":  # an object id (api.base.ID_IN_PATH)
                parameter["schema"] = {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10**18 - 1}
        if self.is_public():
            operation["security"] = []  # says it outright: no credentials needed (none are read)
        responses = operation.setdefault("responses", {})
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, schema=error_component(), object="Error"
        )
        registry.register_on_missing(component)
        json_detail = "application/json" in responses.get("200", {}).get("content", {})  # not a file download
        if self.method == "GET" and getattr(self.view, "action", None) == "retrieve" and json_detail:  # api.etag
            operation.setdefault("parameters", []).append(etag.PARAMETER)
            if "200" in responses:
                responses["200"].setdefault("headers", {})["ETag"] = etag.ETAG_HEADER
            responses["304"] = etag.NOT_MODIFIED
        for code in sorted(self.error_codes() | (set(responses) & set(ERRORS))):
            documented = responses.setdefault(code, {"description": ERRORS[code]})
            documented["content"] = {"application/json": {"schema": component.ref}}
        return operation


class TaskSchema(ApiSchema):
    """The task endpoints: `complete` takes the payload of the task's step, one of each human step's
    (api.steps: the step's page's form, or the inspect step's serializer); claim, complete and evidence
    may conflict (409)."""

    def get_request_serializer(self):
        if getattr(self.view, "action", None) == "complete":
            schema = self.step_payloads()
            return {"application/json": schema, "multipart/form-data": schema}
        return super().get_request_serializer()

    def error_codes(self) -> set[str]:
        codes = super().error_codes()
        if getattr(self.view, "action", None) in ("claim", "complete", "draft", "evidence"):
            codes.update({"403", "409"})
        return codes

    def step_payloads(self) -> dict:
        from workflows.flows import human_steps

        return {
            "anyOf": [step_payload(self, node) for _flow, node in human_steps()],
            "description": "The payload of the task's step (its `step`; the task's detail lists its `payload` fields)",
        }


def step_payload(schema: AutoSchema, node) -> dict:
    """A reference to the component of a human step's payload (the step's page's form, or the inspect
    step's serializer), registered once whichever operation names it first."""
    from . import steps

    step, flow = steps.step_of(node), node.flow_class
    if isinstance(step, steps.InspectStep):
        return schema.resolve_serializer(step.payload_serializer()(), "request").ref
    name = f"{flow.__name__}{node.name.title().replace('_', '')}Payload"
    title = f"{flow.__name__}.{node.name}: {node.task_title or node.name}"
    component = ResolvedComponent(
        name=name, type=ResolvedComponent.SCHEMA, schema={**step.schema(), "title": title}, object=name
    )
    schema.registry.register_on_missing(component)
    return component.ref


class StepActionSchema(ApiSchema):
    """A case's action that does one step of its flow (a report filed, a complaint triaged): its body is
    that step's payload, as POST /tasks/{id}/complete/ takes it, and it may conflict like a task (403
    not_your_duty, 409). The view's `step_actions`: action name → a callable giving the node."""

    def step_node(self):
        node_of = getattr(self.view, "step_actions", {}).get(getattr(self.view, "action", None))
        return node_of() if node_of is not None else None

    def get_request_serializer(self):
        node = self.step_node()
        if node is None:
            return super().get_request_serializer()
        ref = step_payload(self, node)
        return {"application/json": ref, "multipart/form-data": ref}

    def error_codes(self) -> set[str]:
        codes = super().error_codes()
        if self.step_node() is not None:
            codes.update({"403", "409"})
        return codes
