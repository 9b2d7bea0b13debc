"""Every refused form starts its page with an error summary: one link per error, each to a
field that is on the page (issue 8, "bad input, clearly answered")."""

from urllib.parse import urljoin, urlsplit

import pytest
from django.forms import BoundField
from django.test import Client
from django.urls import reverse

from core.templatetags import error_summary
from testkit import factories
from testkit.personas import make_personas, reauthenticate, sign_in
from testkit.urltable import all_expectations, build_world

from .pages import Page, summary_problems

pytestmark = pytest.mark.django_db

# Not forms a person fills in: changing the language, signing out.
SKIP_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")
NONSENSE = "not-valid"


TYPED = "Typed text 7"
KEPT_KINDS = ("text", "textarea", "", "search", "tel", "number", "date", "email", "url")


def _payload(form, *, typed: bool):
    """Blank or nonsense answers; with `typed`, free-text fields get text so that keeping it can be checked."""
    data = dict(form.hidden)
    for name, kind in form.fields:
        if kind in ("number", "date", "email", "url", "datetime-local", "select", "radio"):
            data[name] = NONSENSE
        elif kind in ("text", "textarea", "", "search", "tel", "password"):
            data[name] = TYPED if typed and kind != "password" else ""
    return data


def _lost(page, form, action, sent) -> list[str]:
    """The fields whose typed value the refused page no longer shows."""
    shown = page.form_posting_to(urlsplit(action).path) or page.form_posting_to("")
    if shown is None:
        return ["the refused form is not shown again"]
    return [
        f"{name} lost what was typed"
        for name, kind in form.fields
        if kind in KEPT_KINDS and name in shown.values and shown.value(name) != sent[name]
    ]


def _submit(client, name, form, action, data, persona, checked, findings):
    send = client.post if form.method == "post" else client.get
    answer = send(action, data)
    if answer.status_code in (301, 302) and "reauthenticate" in answer.get("Location", ""):
        reauthenticate(client)
        answer = send(action, data)
    where = f"{persona} {form.method.upper()} {action} (form on {name})"
    if answer.status_code >= 500:
        findings.append((where, [f"status {answer.status_code}"]))
        return
    if answer.status_code in (301, 302):
        return
    body = answer.content.decode(errors="replace")
    if 'class="errorlist' not in body and "field-errors" not in body:
        return
    checked.append(where)
    problems = summary_problems(body)
    problems += _lost(Page(body), form, action, data)
    if problems:
        findings.append((where, problems))


def _refused_forms(client, persona, world, only: str = ""):
    """(pages checked, [(where, problems)]) for the forms this persona can refuse with blank or
    nonsense input."""
    findings, checked = [], []
    seen = set()
    for name, expect in sorted(all_expectations().items()):
        if expect.method != "get" or not name.startswith(only):
            continue
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in Page(response.content.decode()).forms:
            action = urljoin(url, form.action) if form.action else url
            key = (form.method, action.split("?")[0], tuple(sorted(n for n, _k in form.fields)))
            if not form.has_input or action.startswith(SKIP_ACTIONS) or key in seen:
                continue
            seen.add(key)
            for typed in (False, True):
                _submit(client, name, form, action, _payload(form, typed=typed), persona, checked, findings)
    return checked, findings


def _check(persona, only="", *, terms_accepted=False):
    users = make_personas()
    world = build_world(users)
    if terms_accepted:
        # A provider reaches its tools, answers and emblem pages only after accepting the terms.
        user = users[persona]
        document = factories.TermsDocumentFactory(audience="providers")
        factories.TermsAcceptanceFactory(document=document, user=user, organisation=user.membership.organisation)
    client = Client(raise_request_exception=False)
    if users[persona] is not None:
        sign_in(client, users[persona])
    return _refused_forms(client, persona, world, only)


# The coordinator reaches the most forms; a drop means the walk stopped finding them.
AT_LEAST_CHECKED = {"coordinator": 30, "provider_a": 5, "verified_officer": 5, "pending_officer": 3, "anonymous": 3}


@pytest.mark.parametrize("persona", list(AT_LEAST_CHECKED))
def test_every_refused_form_shows_a_summary_that_leads_to_its_fields(persona):
    checked, findings = _check(persona)
    assert not findings, "\n".join(f"{where}: {'; '.join(problems)}" for where, problems in findings)
    assert len(checked) >= AT_LEAST_CHECKED[persona], checked


def test_a_provider_that_accepted_the_terms_gets_the_summary_on_its_own_forms():
    checked, findings = _check("provider_a", terms_accepted=True)
    assert not findings, "\n".join(f"{where}: {'; '.join(problems)}" for where, problems in findings)
    forms = " ".join(checked)
    # The questionnaire answers are checked in catalogue/tests/test_provider_answers.py.
    for page in ("catalogue:provider_tool_create", "catalogue:provider_tool_edit", "emblem:new"):
        assert f"(form on {page})" in forms, checked


# Controls: the walk notices a page without the summary, a link to nowhere and a lost value.
def test_control_a_page_without_the_summary_is_found(monkeypatch):
    monkeypatch.setattr(error_summary, "errors_in_context", lambda context: [])
    _checked, findings = _check("coordinator", only="questionnaires:")
    assert findings and all(problems == ["no error summary"] for _where, problems in findings)


def test_control_a_link_to_nowhere_is_found(monkeypatch):
    monkeypatch.setattr(error_summary, "_anchor", lambda bound_field: "id_nowhere")
    _checked, findings = _check("coordinator", only="questionnaires:")
    assert findings and all("a link to #id_nowhere, which is not on the page" in p for _w, p in findings)


def test_control_a_form_that_forgets_what_was_typed_is_found(monkeypatch):
    monkeypatch.setattr(BoundField, "value", lambda self: self.initial)
    _checked, findings = _check("coordinator", only="questionnaires:")
    assert any(any("lost what was typed" in problem for problem in problems) for _where, problems in findings)


def test_a_sentence_label_loses_its_full_stop_before_the_colon():
    from django import forms

    class Form(forms.Form):
        agree = forms.BooleanField(label="I accept these terms.")

    [(message, anchor)] = list(error_summary._form_errors(Form(data={})))
    assert message == "I accept these terms: This field is required." and anchor == "id_agree"
