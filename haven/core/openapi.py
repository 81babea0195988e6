"""The API contract's shared parts: the error body, and error responses documented on every operation.

Every operation's published responses list each error status it can answer, from what it takes:
400 for any request (unreadable input, control characters, a non-object JSON body), 401 where it
authenticates (a bad token is refused even where anonymous callers are welcome), 403 for a
session's CSRF check on writes, 404 where the path names something, 413 for an oversized body,
422 for input that fails its schema, and 503 when a backing service (the cache) is down. Anything
particular to one operation (409, 429, 415, ...) is declared on it with `errors(...)`.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

ANONYMOUS_ALLOWED = "OptionalAuth"
BEARER = "ApiAuth"
_UNSAFE = frozenset({"post", "put", "patch", "delete"})
_REF = "#/components/schemas/ErrorOut"

DESCRIPTIONS = {
    400: "Bad request: unreadable input, control characters (`invalid_characters`), a body that is not "
    "a JSON object (`invalid_body`), or a value the service refuses (see `code`)",
    401: "Not authenticated, or the bearer token is invalid (`not_authenticated`)",
    403: "Forbidden (`forbidden`; `csrf_failed` for a browser session without a CSRF token)",
    404: "Not found, or not visible to you (`not_found`)",
    409: "Conflict with the current state (see `code`)",
    413: "The request body is too large (`request_too_large`, `file_too_large`)",
    415: "Unsupported media type (`unsupported_format`)",
    422: "The input does not match the schema (`invalid_input`, with `details.errors`)",
    429: "Too many requests (`rate_limited`); see `Retry-After`",
    502: "An upstream service failed (see `code`)",
    503: "Temporarily unavailable (a backing service is down); see `Retry-After`",
    504: "An upstream service timed out (see `code`)",
}


class ErrorOut(Schema):
    """Every error: a stable `code`, a human `message` in the caller's language, maybe `details`."""

    code: str
    message: str
    details: dict[str, Any] | None = None


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Error responses particular to one operation: `response={200: X, **errors(409, 429)}`."""
    return dict.fromkeys(statuses, ErrorOut)


def _common_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    params = operation.get("parameters") or []
    statuses = [400, 503]
    if operation.get("security"):
        statuses.append(401)
        if method in _UNSAFE:
            statuses.append(403)
    if any(p.get("in") == "path" for p in params):
        statuses.append(404)
    if method in _UNSAFE:
        statuses.append(413)
    if params or operation.get("requestBody"):
        statuses.append(422)
    return statuses


#: What the input guard (core.middleware) lets through: text without control characters (tab, line
#: feed and carriage return allowed), path segments without any.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
PATH_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"


def _constrain_strings(node: Any, pattern: str) -> None:
    """Publish the character rule on every free-text string schema (no format, enum or pattern)."""
    if isinstance(node, list):
        for item in node:
            _constrain_strings(item, pattern)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not ({"format", "enum", "pattern", "const"} & node.keys()):
        node["pattern"] = pattern
    for key, value in node.items():
        if key != "example":
            _constrain_strings(value, pattern)


#: Any JSON value whose strings (and keys) pass the input guard: what a body's unknown fields may hold
#: (they are ignored, but checked like every other input).
SAFE_JSON = {
    "anyOf": [
        {"type": "string", "pattern": TEXT_PATTERN},
        {"type": ["number", "boolean", "null"]},
        {"type": "array", "items": {"$ref": "#/components/schemas/SafeJson"}},
        {
            "type": "object",
            "propertyNames": {"pattern": TEXT_PATTERN},
            "additionalProperties": {"$ref": "#/components/schemas/SafeJson"},
        },
    ]
}


def _body_models(schema: dict[str, Any]) -> set[str]:
    names = set()
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                ref = (media.get("schema") or {}).get("$ref", "")
                if ref.startswith("#/components/schemas/"):
                    names.add(ref.rsplit("/", 1)[1])
    return names


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the common error responses to every operation and show optional auth as optional."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema(ref_template=_REF)
    schemes = components.get("securitySchemes", {})
    if ANONYMOUS_ALLOWED in schemes:
        schemes.setdefault(BEARER, schemes[ANONYMOUS_ALLOWED])
        del schemes[ANONYMOUS_ALLOWED]
    for model in components["schemas"].values():
        _constrain_strings(model.get("properties", {}), TEXT_PATTERN)
    components["schemas"]["SafeJson"] = SAFE_JSON
    for name in _body_models(schema):
        model = components["schemas"].get(name, {})
        if model.get("type") == "object" and "additionalProperties" not in model:
            model["propertyNames"] = {"pattern": TEXT_PATTERN}
            model["additionalProperties"] = {"$ref": "#/components/schemas/SafeJson"}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for param in operation.get("parameters") or []:
                where = param.get("in")
                _constrain_strings(param.get("schema"), PATH_PATTERN if where == "path" else TEXT_PATTERN)
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                _constrain_strings(media.get("schema"), TEXT_PATTERN)
            security = operation.get("security")
            if security and any(ANONYMOUS_ALLOWED in s for s in security):
                # Anonymous callers are welcome; a member may authenticate (an empty entry = optional).
                operation["security"] = [{BEARER: []}, {}]
            responses = operation["responses"]
            for status in _common_statuses(method, operation):
                if status not in responses and str(status) not in responses:
                    responses[status] = {}
            for status, response in responses.items():
                if str(status).isdigit() and int(status) >= 400:
                    response["description"] = DESCRIPTIONS.get(int(status), "Error")
                    response["content"] = {"application/json": {"schema": {"$ref": _REF}}}
            operation["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    return schema
