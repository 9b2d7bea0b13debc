"""The OpenAPI 3.1 description of the read-only API, written by hand.

The criterion query parameters of `GET /tools` are listed from the current questionnaires,
with their allowed values, so the document always matches what the endpoint accepts.
The schemas are strict (`additionalProperties: false`): a test checks the views against them.
"""

from __future__ import annotations

from discovery import search
from moderation.models import NoticeAction

API_VERSION = "1.0.0"
# The kinds of notice in the register: the coordinators' decisions and providers' withdrawals.
NOTICE_ACTIONS = [str(action) for action in NoticeAction]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
    }


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
URI = {"type": "string", "format": "uri"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {
            "error": {"type": "string", "description": "What went wrong, in the language asked for."},
            "parameter": {"type": "string", "description": "The query parameter at fault."},
            "valid": {**STRINGS, "description": "The values that parameter accepts."},
        },
        "required": ["error"],
        "additionalProperties": False,
    },
    "CriterionValue": _obj({"value": STRING, "label": STRING}),
    "Criterion": _obj(
        {
            "key": {"type": "string", "description": "The question's key; use it as a query parameter of /tools."},
            "label": STRING,
            "type": {"type": "string", "enum": ["yes_no", "single_choice", "multiple_choice"]},
            "questionnaire": {"type": "string", "description": "Key of the questionnaire asking the question."},
            "values": {"type": "array", "items": _ref("CriterionValue")},
        }
    ),
    "ToolSummary": _obj(
        {
            "slug": STRING,
            "name": STRING,
            "provider": {"type": "string", "description": "The providing organisation's name."},
            "short_description": STRING,
            "matched": {**STRINGS, "description": "Keys of the preferred criteria the tool meets."},
            "missed": {**STRINGS, "description": "Keys of the preferred criteria the tool does not meet."},
            "url": {**URI, "description": "This tool in the API."},
            "page_url": {**URI, "description": "This tool's page in the hub."},
        }
    ),
    "ToolList": _obj(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri", "description": "The next page, or null."},
            "results": {"type": "array", "items": _ref("ToolSummary")},
        }
    ),
    "Answer": {
        "description": (
            "null when not answered; a list of option values for multiple choice; an option value for single "
            "choice; a boolean for yes/no; a number; an ISO date; a web address; the attachment id for a file; "
            "text otherwise."
        ),
        "type": ["string", "number", "boolean", "array", "null"],
        "items": STRING,
    },
    "Question": _obj(
        {
            "key": STRING,
            "label": STRING,
            "type": {
                "type": "string",
                "enum": [
                    "short_text",
                    "long_text",
                    "single_choice",
                    "multiple_choice",
                    "yes_no",
                    "number",
                    "date",
                    "url",
                    "file",
                ],
            },
            "answer": _ref("Answer"),
        }
    ),
    "Completeness": _obj({"answered": {"type": "integer", "minimum": 0}, "total": {"type": "integer", "minimum": 0}}),
    "QuestionnaireAnswers": _obj(
        {
            "key": STRING,
            "version": {"type": "integer", "minimum": 1},
            "name": STRING,
            "completeness": _ref("Completeness"),
            "questions": {"type": "array", "items": _ref("Question")},
        }
    ),
    "Tool": _obj(
        {
            "slug": STRING,
            "name": STRING,
            "provider": STRING,
            "short_description": STRING,
            "long_description": STRING,
            "website": STRING,
            "last_updated": {"type": "string", "format": "date-time"},
            "page_url": URI,
            "questionnaires": {"type": "array", "items": _ref("QuestionnaireAnswers")},
        }
    ),
    "Notice": _obj(
        {
            "tool": {"type": "string", "description": "The tool's slug."},
            "tool_name": STRING,
            "action": {
                "type": "string",
                "enum": NOTICE_ACTIONS,
                "description": "A coordinators' decision, or `withdrawn`: the provider withdrew the tool (not a sanction).",
            },
            "date": {
                "type": "string",
                "format": "date-time",
                "description": "When the coordinators decided, or when the provider withdrew the tool.",
            },
            "reason": {
                "type": "string",
                "description": "The coordinators' summary of what happened and why; for a withdrawal, the provider's "
                "own reason, possibly empty.",
            },
            "guidance": {
                "type": "string",
                "description": "How officers who may use the tool should handle it (empty for a withdrawal).",
            },
        }
    ),
    "NoticeList": _obj(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri", "description": "The next page, or null."},
            "results": {"type": "array", "items": _ref("Notice")},
        }
    ),
    "Gone": _obj(
        {
            "error": {
                "type": "string",
                "description": "That the tool is suspended, removed or withdrawn by its provider.",
            },
            "notice": {"anyOf": [_ref("Notice"), {"type": "null"}], "description": "The latest decision."},
        }
    ),
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


AUTH_ERRORS = {
    "401": _error("No token, or an invalid or revoked one."),
    "403": _error(
        "The token's owner may not use the API (not a verified officer or coordinator), or has terms to accept."
    ),
}

ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Language of labels and messages (English by default).",
    "schema": STRING,
}


def _criterion_parameters(questions) -> list[dict]:
    parameters = []
    for question in questions:
        values = [value for value, _label in search.allowed_values(question)]
        schema = {"type": "array", "items": {"type": "string", "enum": values}, "minItems": 1}
        for name, meaning in ((question.key, "Required"), (f"prefer.{question.key}", "Preferred")):
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": True,
                    "description": f"{meaning} criterion “{question.key}”; several values mean any of them. "
                    "A criterion is either required or preferred, not both.",
                    "schema": schema,
                }
            )
    return parameters


def build(versions) -> dict:
    """The OpenAPI document for the current questionnaire versions."""
    questions = search.criterion_questions(versions)
    questionnaire_keys = [version.questionnaire.key for version in versions]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SaferHub API",
            "version": API_VERSION,
            "description": (
                "Read-only access to the AI Tools Catalogue for verified officers and coordinators. "
                "Authenticate with a personal API token (created on your account pages) as a bearer token. "
                "Tools that match equally well come in a fair random order that changes daily; no order favours "
                "a tool. Inclusion in the catalogue is not an endorsement, assessment or certification."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/criteria": {
                "get": {
                    "operationId": "listCriteria",
                    "summary": "Every criterion of the current questionnaires, with its allowed values",
                    "parameters": [ACCEPT_LANGUAGE],
                    "responses": {
                        "200": _ok("The criteria.", {"type": "array", "items": _ref("Criterion")}),
                        **AUTH_ERRORS,
                    },
                }
            },
            "/tools": {
                "get": {
                    "operationId": "searchTools",
                    "summary": "Published tools meeting every required criterion, ranked by preferred criteria met",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "Words to find in names, descriptions and answers.",
                            "schema": STRING,
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999, "default": 1},
                        },
                        {
                            "name": "complete",
                            "in": "query",
                            "required": False,
                            "style": "form",
                            "explode": True,
                            "description": "Only tools that answered (most of) these questionnaires.",
                            "schema": {"type": "array", "items": {"type": "string", "enum": questionnaire_keys}},
                        },
                        ACCEPT_LANGUAGE,
                        *_criterion_parameters(questions),
                    ],
                    "responses": {
                        "200": _ok("A page of results.", _ref("ToolList")),
                        "400": _error("An unknown parameter, criterion or value; `valid` lists the accepted ones."),
                        **AUTH_ERRORS,
                    },
                }
            },
            "/tools/{slug}": {
                "get": {
                    "operationId": "getTool",
                    "summary": "A published tool with every question of the current questionnaires",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": STRING},
                        ACCEPT_LANGUAGE,
                    ],
                    "responses": {
                        "200": _ok("The tool.", _ref("Tool")),
                        **AUTH_ERRORS,
                        "404": _error("No published tool has this slug."),
                        "410": _ok(
                            "The tool is suspended, removed or withdrawn by its provider; the answer carries its notice.",
                            _ref("Gone"),
                        ),
                    },
                }
            },
            "/notices": {
                "get": {
                    "operationId": "listNotices",
                    "summary": "Every suspension, removal and reinstatement of a tool, and every withdrawal by a "
                    "provider, newest first",
                    "parameters": [
                        {
                            "name": "action",
                            "in": "query",
                            "required": False,
                            "style": "form",
                            "explode": True,
                            "description": "Only these kinds of decision.",
                            "schema": {
                                "type": "array",
                                "items": {"type": "string", "enum": NOTICE_ACTIONS},
                            },
                        },
                        {
                            "name": "tool",
                            "in": "query",
                            "required": False,
                            "description": "Only the notices about this tool (its `tool` value).",
                            "schema": {"type": "string", "maxLength": 200, "pattern": "^[-a-zA-Z0-9_]+$"},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999, "default": 1},
                        },
                        ACCEPT_LANGUAGE,
                    ],
                    "responses": {
                        "200": _ok("A page of notices.", _ref("NoticeList")),
                        "400": _error("An unknown action, a malformed tool or a bad page number."),
                        **AUTH_ERRORS,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": _ok("The OpenAPI document.", {"type": "object"})},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token, for example `Authorization: Bearer shub_...`.",
                }
            },
            "schemas": SCHEMAS,
        },
    }
