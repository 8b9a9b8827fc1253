"""flask-smorest, fitted to this API: problem-details error responses in the OpenAPI
document, exact JSON numbers, tags by area, and the Idempotency-Key header.

Every operation documents the statuses it can answer (``problems(...)``) and no
catch-all "default": the fuzzed contract test then checks each status is one the
document names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, abort

from web.api.schemas.common import ProblemSchema

API_PREFIX = "/api/v1"
WRITES = ("post", "put", "patch", "delete")

# What each error status means in this API, and the headers it comes with.
RESPONSES: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("The body is not valid JSON.", {}),
    401: ("No valid credentials: send a personal API token as a Bearer token.",
          {"WWW-Authenticate": {"schema": {"type": "string"},
                                "description": 'Bearer realm="coop"'}}),
    403: ("The calling member may not do this (to this object).", {}),
    404: ("Nothing with that id, or nothing at this address.", {}),
    409: ("The object is not in a state where this makes sense, or someone else "
          "changed it at the same moment, or a request with the same Idempotency-Key "
          "is still running.", {}),
    422: ("Invalid input: the fields and their messages are in `errors`; also an "
          "Idempotency-Key reused for a different request.", {}),
    503: ("The store is busy or unreachable: try again after Retry-After seconds.",
          {"Retry-After": {"schema": {"type": "integer"},
                           "description": "Seconds to wait before trying again."}}),
}
PROBLEM_MIMETYPE = "application/problem+json"


def response_name(status: int) -> str:
    return f"Problem{status}"


class ExactJSONParser(FlaskParser):
    """Read JSON bodies with numbers as Decimal, so hours and money stay exact; a
    body that is not JSON (or too deeply nested, or has a number too long to read)
    is a 400, never a 500."""

    def _raw_load_json(self, req: Any) -> Any:
        if not core.is_json(req.mimetype):
            return core.missing
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        try:
            return json.loads(data, parse_float=Decimal)
        except (ValueError, RecursionError) as error:
            abort(400, exc=error, messages={"json": ["Invalid JSON body."]})


class Blueprint(flask_smorest.Blueprint):
    """One area of the API: its operations tagged with the area's name."""

    ARGUMENTS_PARSER = ExactJSONParser()

    def __init__(self, tag: str, import_name: str, *, url_prefix: str = "",
                 description: str = "") -> None:
        super().__init__(f"api_{tag}", import_name, url_prefix=API_PREFIX + url_prefix,
                         description=description)
        self.tag = tag
        self._prepare_doc_cbks.append(self._prepare_idempotency_doc)

    def route(self, rule: str, *, parameters: Any = None, tags: Any = None,
              **options: Any) -> Callable[[Any], Any]:
        def decorator(func: Any) -> Any:
            name = options.pop("endpoint", func.__name__)
            documented = self.doc(operationId=name)(func)
            self.add_url_rule(rule, name, documented, parameters=parameters,
                              tags=tags or [self.tag], **options)
            return func

        return decorator

    def problems(self, *statuses: int) -> Callable[[Any], Any]:
        """Document the error statuses an operation answers (401 and 503 always)."""
        def decorator(func: Any) -> Any:
            for status in sorted({401, 503, *statuses}, reverse=True):
                func = self.alt_response(status, response_name(status))(func)
            return func

        return decorator

    @staticmethod
    def _prepare_idempotency_doc(doc: dict[str, Any], doc_info: dict[str, Any], *,
                                 method: str, **kwargs: Any) -> dict[str, Any]:
        if method in WRITES:
            doc.setdefault("parameters", []).append("IdempotencyKey")
        return doc


class Api(flask_smorest.Api):
    """The API's OpenAPI document and blueprints; errors are answered by
    web/api/problem.py, not by flask-smorest's own JSON handler."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        pass  # web/api/problem.py answers errors of API requests only

    def _register_responses(self) -> None:
        for status, (description, headers) in RESPONSES.items():
            response: dict[str, Any] = {
                "description": description,
                "content": {PROBLEM_MIMETYPE: {"schema": ProblemSchema}},
            }
            if headers:
                response["headers"] = headers
            self.spec.components.response(response_name(status), response, lazy=True)
        self.spec.components.parameter("IdempotencyKey", "header", {
            "name": "Idempotency-Key", "required": False,
            "description": "Send a write again with the same key and it is answered with "
                           "the first reply, not run twice (see docs/api.md).",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                       "pattern": "^[\\x21-\\x7e]+$"},
        }, lazy=True)
        self.spec.components.security_scheme("bearer", {
            "type": "http", "scheme": "bearer",
            "description": "A personal API token (coop_...), made on the profile page "
                           "or with `coop token create EMAIL`."})
        self.spec.components.security_scheme("session", {
            "type": "apiKey", "in": "cookie", "name": "coop_session",
            "description": "The portal's own session; writes also need the X-CSRFToken "
                           "header."})

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
        self.spec.tag({"name": blp.tag, "description": blp.description})
