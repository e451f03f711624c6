"""The API contract in force: spectree over the pydantic models of ``schemas``.

``documented`` declares a view's query model and documents; spectree validates
the query arguments with the model before the view runs (a failure becomes
the JSON 400 of ``tracker.web`` with a sentence naming the argument) and
generates the OpenAPI 3.1 document from the same models.  ``document`` adds
what every response shares (the caching and CORS headers, ``If-None-Match``),
the path parameters' schemas (``schemas.PATH_PARAMETERS``) and the 414 the
server in front (gunicorn, ``tracker serve``) answers for an over-long request
line, and is served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, cast

from flask import abort
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from spectree import Response, SpecTree

from tracker.api import schemas
from tracker.cli import GUNICORN_SETTINGS

View = Callable[..., ResponseReturnValue]
CACHE_SECONDS = 60
TITLE = "Minnesota Legislative Tracker public API"
DESCRIPTION = (
    "Read-only JSON API: bills, legislators, published scorecards and action alerts.  Only "
    "published positions and scorecard versions are shown.  Responses carry a strong ETag "
    "(send If-None-Match for a 304), Last-Modified where known, Cache-Control: public, "
    f"max-age={CACHE_SECONDS}, and Access-Control-Allow-Origin: * (GET, no credentials); "
    "they are compressed when the client accepts it (Accept-Encoding: gzip).  Query "
    "arguments are taken exactly as documented: an empty value of a number, true/false or "
    "choice argument is a 400; an empty text argument filters nothing.  Methods other than "
    "GET, HEAD and OPTIONS answer 405 Method Not Allowed with an Allow header."
)


def _reject(
    _request: Any, _response: Any, error: Exception | None, _instance: Any, _adapter: Any
) -> None:
    """spectree's hook after validating a request: a bad query argument is a 400
    in the API's error shape, with a sentence a person can act on."""
    if isinstance(error, ValidationError):
        abort(400, description=describe(error))


def describe(error: ValidationError) -> str:
    """Pydantic's findings about query arguments as sentences."""
    sentences = []
    for found in error.errors(include_url=False):
        name = ".".join(str(part) for part in found["loc"])
        kind, ctx = found["type"], found.get("ctx") or {}
        if kind in ("int_parsing", "int_from_float", "int_type"):
            text = f"{name} must be a whole number, not {found['input']!r}"
        elif kind == "greater_than_equal":
            text = f"{name} must be {ctx['ge']} or more"
        elif kind == "less_than_equal":
            text = f"{name} may be at most {ctx['le']}"
        elif kind == "string_too_long":
            text = f"{name} may have at most {ctx['max_length']} characters"
        elif kind == "bool_parsing":
            text = f"{name} must be true or false"
        elif kind in ("string_type", "list_type") and isinstance(found["input"], list):
            text = f"{name} may be given only once"
        elif kind in schemas.CUSTOM_ERRORS:
            text = f"{name} {found['msg']}" if name else found["msg"]
        else:
            text = f"{name}: {found['msg']}" if name else found["msg"]
        sentences.append(text + ".")
    return " ".join(sentences)


spec = SpecTree(
    "flask",
    mode="strict",  # only the views declared with ``documented``
    title=TITLE,
    version="1",
    description=DESCRIPTION,
    page_templates={},  # no documentation pages: only the JSON document
    before=_reject,
    validation_error_status=400,
    validation_error_model=schemas.ApiError,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)


def documented(
    ok: type[BaseModel], *, query: type[schemas.Query] | None = None, not_found: bool = False
) -> Callable[[Callable[..., BaseModel | ResponseReturnValue]], View]:
    """Declare a view's contract: its query model (validated before the view runs;
    the view takes the parsed model as ``query``), its 200 document, 304, and the
    400 every view can answer (a malformed argument or a NUL byte); 404 when
    ``not_found``.  The view may return its document model: spectree sends it as
    JSON, so to Flask the decorated view returns a response."""
    errors: dict[str, Any] = {"HTTP_400": schemas.ApiError}
    if not_found:
        errors["HTTP_404"] = schemas.ApiError
    return cast(
        Callable[[Callable[..., BaseModel | ResponseReturnValue]], View],
        spec.validate(query=query, resp=Response("HTTP_304", HTTP_200=ok, **errors)),
    )


def request_line_limit() -> int:
    """The longest request line gunicorn accepts (``tracker serve``); longer is a 414."""
    return int(GUNICORN_SETTINGS[GUNICORN_SETTINGS.index("--limit-request-line") + 1])


# OpenAPI links: where a document names another by a value the other's path takes
# (path -> link name -> (the other's path, its parameter -> the runtime expression)).
LINKS = {
    "/api/v1/bills/{session}/{bill}": {
        "FirstRollCall": (
            "/api/v1/roll-calls/{public_id}",
            {"public_id": "$response.body#/roll_calls/0/id"},
            "The bill's first roll call with every member's vote (each roll call's `url` "
            "is its document).",
        )
    },
}


def document() -> dict[str, Any]:
    """The OpenAPI document: spectree's, plus the headers every response shares, the
    path parameters' schemas, the server's 414 and the links between documents."""
    out: dict[str, Any] = copy.deepcopy(spec.spec)
    out["info"]["license"] = {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
    out["jsonSchemaDialect"] = "https://json-schema.org/draft/2020-12/schema"
    out.pop("security", None)
    if not out.get("tags"):
        out.pop("tags", None)
    cors = {"Access-Control-Allow-Origin": {"$ref": "#/components/headers/CORS"}}
    too_long = {
        "description": (
            f"URI Too Long: the request line exceeds {request_line_limit()} bytes "
            "(answered by the server in front of the app, as HTML).  A request "
            "within every documented limit fits."
        ),
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
    for item in out["paths"].values():
        operation = item["get"]
        for parameter in operation["parameters"]:
            if parameter["in"] == "path":
                documented_path = schemas.PATH_PARAMETERS[parameter["name"]]
                parameter["description"] = documented_path["description"]
                parameter["schema"] = dict(documented_path)
        operation["parameters"].append({"$ref": "#/components/parameters/IfNoneMatch"})
        for code, response in operation["responses"].items():
            if code == "200":
                response["headers"] = {
                    "ETag": {"$ref": "#/components/headers/ETag"},
                    "Cache-Control": {"$ref": "#/components/headers/CacheControl"},
                    **cors,
                }
            elif code == "304":
                response["description"] = (
                    "Not modified: the If-None-Match ETag still matches; no body."
                )
            else:
                response["headers"] = dict(cors)
        operation["responses"]["414"] = copy.deepcopy(too_long)
    for path, links in LINKS.items():
        out["paths"][path]["get"]["responses"]["200"]["links"] = {
            name: {
                "operationId": out["paths"][target]["get"]["operationId"],
                "parameters": parameters,
                "description": description,
            }
            for name, (target, parameters, description) in links.items()
        }
    out["components"]["parameters"] = {
        "IfNoneMatch": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "An ETag from an earlier response.",
            "schema": {"type": "string"},
        }
    }
    out["components"]["headers"] = {
        "ETag": {
            "description": "Strong validator of the body as sent (a compressed body has its own).",
            "schema": {"type": "string"},
        },
        "CacheControl": {
            "description": f"public, max-age={CACHE_SECONDS}.",
            "schema": {"type": "string"},
        },
        "CORS": {"description": "Always *.", "schema": {"type": "string", "enum": ["*"]}},
    }
    return out
