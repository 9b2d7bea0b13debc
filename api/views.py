"""The read-only API (JSON, token-authenticated) and the API token pages (HTML, session).

API views authenticate by `Authorization: Bearer <token>` only, never by session, so they
are CSRF-exempt and skip the login middleware; the MFA and terms middlewares act only on
session users. Every API response is JSON (errors as {"error": ...}) and `no-store`.
"""

from __future__ import annotations

from functools import wraps

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.validators import slug_re
from django.http import JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from catalogue.answers import answers_by_key, api_value, completeness
from catalogue.models import Tool, ToolState
from core import policy
from core.compression import never_compress
from core.policy import permission_required
from discovery import exposure, search
from moderation import selectors as moderation_selectors
from moderation.selectors import NOTICE_STATES
from questionnaires.selectors import current_versions
from terms.services import pending_documents_for

from . import openapi, services
from .forms import TokenForm
from .models import ApiToken

PAGE_SIZE = 20
AUTH_REALM = 'Bearer realm="SaferHub API"'
SAFE_METHODS = ("GET", "HEAD")


# --- responses ------------------------------------------------------------------------
def json_response(data, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error(message: str, status: int, *, headers: dict | None = None, **details) -> JsonResponse:
    return json_response({"error": message, **details}, status=status, headers=headers)


def api_endpoint(*, public: bool = False):
    """GET-only JSON endpoint; unless `public`, it needs the bearer token of someone who may
    use the API (`api.use`) and passes that user to the view as `api_user`."""

    def decorator(view):
        @csrf_exempt
        @login_not_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                return error(_("Method not allowed."), 405, headers={"Allow": ", ".join(SAFE_METHODS)})
            if public:
                return view(request, *args, **kwargs)
            scheme, _sep, secret = request.headers.get("Authorization", "").strip().partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                return error(
                    _("Authentication required: send your API token as a bearer token."),
                    401,
                    headers={"WWW-Authenticate": AUTH_REALM},
                )
            token = services.find_token(secret.strip())
            if token is None:
                return error(
                    _("The API token is invalid or has been revoked."),
                    401,
                    headers={"WWW-Authenticate": f'{AUTH_REALM}, error="invalid_token"'},
                )
            if not policy.can(token.user, "api.use"):
                return error(_("This account may not use the API."), 403)
            if pending_documents_for(token.user):
                return error(_("Accept the current terms of use in the hub first."), 403)
            services.touch(token)
            return view(request, *args, api_user=token.user, **kwargs)

        return wrapped

    return decorator


# --- endpoints --------------------------------------------------------------------------
@api_endpoint(public=True)
def openapi_schema(request):
    return json_response(openapi.build(current_versions()))


@api_endpoint(public=True)
def not_found(request, rest=""):
    return error(_("Not found."), 404)


def criterion_item(question) -> dict:
    return {
        "key": question.key,
        "label": question.label,
        "type": question.type,
        "questionnaire": question.version.questionnaire.key,
        "values": [{"value": value, "label": str(label)} for value, label in search.allowed_values(question)],
    }


@api_endpoint()
def criteria(request, api_user):
    """Every criterion of the current questionnaires, with the values it can take."""
    return json_response([criterion_item(question) for question in search.criterion_questions(current_versions())])


class BadQuery(Exception):
    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


def parse_tool_query(params: QueryDict, questions, questionnaire_keys) -> tuple[dict, str, list[str], int]:
    """(selection, q, complete, page) from the query string; BadQuery on anything unknown."""
    allowed = {question.key: {value for value, _label in search.allowed_values(question)} for question in questions}
    selection: dict[str, search.Criterion] = {}
    complete: list[str] = []
    for name in params:
        values = params.getlist(name)
        if name in ("q", "page"):
            continue
        if name == "complete":
            unknown = [value for value in values if value not in questionnaire_keys]
            if unknown:
                raise BadQuery(
                    _("Unknown questionnaire %(value)r for “complete”.") % {"value": unknown[0]},
                    parameter=name,
                    valid=sorted(questionnaire_keys),
                )
            complete.extend(values)
            continue
        mode, key = (
            (search.PREFERRED, name[len("prefer.") :]) if name.startswith("prefer.") else (search.REQUIRED, name)
        )
        if key not in allowed:
            raise BadQuery(_("Unknown criterion %(key)r.") % {"key": key}, parameter=name, valid=sorted(allowed))
        unknown = [value for value in values if value not in allowed[key]]
        if unknown:
            raise BadQuery(
                _("Unknown value %(value)r for criterion %(key)r.") % {"value": unknown[0], "key": key},
                parameter=name,
                valid=sorted(allowed[key]),
            )
        if key in selection:
            raise BadQuery(
                _("Criterion %(key)r is given both as required and as preferred.") % {"key": key}, parameter=name
            )
        selection[key] = search.Criterion(mode, frozenset(values))
    page_text = params.get("page", "1")
    if not (page_text.isascii() and page_text.isdigit()) or len(page_text) > 9 or int(page_text) < 1:
        raise BadQuery(_("“page” must be a whole number from 1."), parameter="page")
    return selection, params.get("q", ""), complete, int(page_text)


@api_endpoint()
def tools(request, api_user):
    """Published tools meeting every required criterion, ranked as on the catalogue page."""
    versions = current_versions()
    questions = search.criterion_questions(versions)
    try:
        selection, q, complete, page = parse_tool_query(
            request.GET, questions, {version.questionnaire.key for version in versions}
        )
    except BadQuery as exc:
        return error(exc.message, 400, **exc.details)
    results = search.search(selection, seed=search.fairness_seed(api_user), q=q, complete=complete, versions=versions)
    start = (page - 1) * PAGE_SIZE
    shown = search.attach_tools(results[start : start + PAGE_SIZE])
    if policy.can(api_user, "catalogue.count_exposure"):
        # As on the catalogue page: aggregate exposure only (per tool, day and position bucket).
        exposure.record([result.tool_id for result in shown], first_position=start + 1)
    next_url = None
    if start + PAGE_SIZE < len(results):
        params = request.GET.copy()
        params["page"] = str(page + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return json_response(
        {
            "count": len(results),
            "next": next_url,
            "results": [
                {
                    "slug": result.tool.slug,
                    "name": result.tool.name,
                    "provider": result.tool.organisation.name,
                    "short_description": result.tool.short_description,
                    "matched": result.matched,
                    "missed": result.missed,
                    "url": request.build_absolute_uri(reverse("api:tool", args=[result.tool.slug])),
                    "page_url": request.build_absolute_uri(reverse("catalogue:tool_detail", args=[result.tool.slug])),
                }
                for result in shown
            ],
        }
    )


@api_endpoint()
def tool_detail(request, slug, api_user):
    """A published tool: every question of the current questionnaires with its answer or null."""
    tool = None
    if len(slug) <= 80 and "\x00" not in slug:  # no such slug; PostgreSQL refuses NUL in strings
        tool = (
            Tool.objects.select_related("organisation")
            .filter(slug=slug, state__in=[ToolState.PUBLISHED, *NOTICE_STATES])
            .first()
        )
    notice = moderation_selectors.latest_notice(tool) if tool is not None and tool.state in NOTICE_STATES else None
    if tool is None or (tool.state == ToolState.WITHDRAWN and notice is None):
        # Never published (withdrawn when its organisation left): nothing officers ever saw.
        return error(_("Not found."), 404)
    if tool.state in NOTICE_STATES:
        message = {
            ToolState.REMOVED: _("This tool was removed from the catalogue."),
            ToolState.SUSPENDED: _("This tool is suspended."),
            ToolState.WITHDRAWN: _("This tool was withdrawn from the catalogue by its provider (not a sanction)."),
        }[tool.state]
        return json_response(
            {"error": message, "notice": moderation_selectors.api_item(notice) if notice else None}, status=410
        )
    versions = current_versions()
    answers = answers_by_key(tool)
    counts = completeness(tool, versions, answers)
    questionnaires = []
    for version in versions:
        answered, total = counts.get(version.questionnaire.key, (0, 0))
        questionnaires.append(
            {
                "key": version.questionnaire.key,
                "version": version.number,
                "name": version.questionnaire.name,
                "completeness": {"answered": answered, "total": total},
                "questions": [
                    {
                        "key": question.key,
                        "label": question.label,
                        "type": question.type,
                        "answer": api_value(question, answers.get(question.key)),
                    }
                    for question in version.questions.all()
                ],
            }
        )
    return json_response(
        {
            "slug": tool.slug,
            "name": tool.name,
            "provider": tool.organisation.name,
            "short_description": tool.short_description,
            "long_description": tool.long_description,
            "website": tool.website,
            "last_updated": tool.updated_at.isoformat(),
            "page_url": request.build_absolute_uri(reverse("catalogue:tool_detail", args=[tool.slug])),
            "questionnaires": questionnaires,
        }
    )


NOTICE_ACTIONS = openapi.NOTICE_ACTIONS
NOTICE_PARAMETERS = ["action", "page", "tool"]


@api_endpoint()
def notices(request, api_user):
    """The notices register: every suspension, removal, reinstatement and withdrawal, newest first."""
    unknown_parameters = sorted(set(request.GET) - set(NOTICE_PARAMETERS))
    if unknown_parameters:
        return error(
            _("Unknown parameter %(name)r.") % {"name": unknown_parameters[0]},
            400,
            parameter=unknown_parameters[0],
            valid=NOTICE_PARAMETERS,
        )
    actions = request.GET.getlist("action")
    unknown = [value for value in actions if value not in NOTICE_ACTIONS]
    if unknown:
        return error(
            _("Unknown action %(value)r.") % {"value": unknown[0]}, 400, parameter="action", valid=NOTICE_ACTIONS
        )
    page_text = request.GET.get("page", "1")
    if not (page_text.isascii() and page_text.isdigit()) or len(page_text) > 9 or int(page_text) < 1:
        return error(_("“page” must be a whole number from 1."), 400, parameter="page")
    page = int(page_text)
    tool = request.GET.get("tool", "")
    if tool and (len(tool) > 200 or not slug_re.fullmatch(tool)):
        return error(_("“tool” must be a tool's identifier, as in the “tool” field."), 400, parameter="tool")
    found = moderation_selectors.register(tool_slug=tool)
    if actions:
        found = found.filter(action__in=actions)
    start = (page - 1) * PAGE_SIZE
    rows = list(found[start : start + PAGE_SIZE + 1])
    next_url = None
    if len(rows) > PAGE_SIZE:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return json_response(
        {
            "count": found.count(),
            "next": next_url,
            "results": [moderation_selectors.api_item(notice) for notice in rows[:PAGE_SIZE]],
        }
    )


# --- token pages (session users) -----------------------------------------------------
@require_http_methods(["GET", "POST"])
@never_compress
@permission_required("api.use")
@reauthentication_required(allow_get=True)
def tokens(request):
    """The user's API tokens; creating one shows its secret once, on this response only."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    created = secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, secret = services.create_token(request.user, form.cleaned_data["name"], request=request)
            except services.TooManyTokens:
                form.add_error(None, _("You have too many active tokens. Revoke one you no longer use first."))
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "created": created,
            "secret": secret,
        },
        status=status,
    )


@require_POST
def token_revoke(request, public_id):
    token = get_object_or_404(ApiToken, public_id=public_id, user=request.user)
    services.revoke_token(token, by=request.user, request=request)
    messages.success(request, _("The token was revoked. Scripts using it can no longer reach the API."))
    return redirect("api:tokens" if policy.can(request.user, "api.use") else "accounts:profile")
