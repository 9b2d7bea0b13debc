"""The policy mechanism: unknown names fail loudly, every name the code uses is registered,
and no view, service or template checks a role itself (role checks live in the rules modules)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core import policy

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "node_modules", ".git", "locale", "static", "webroot"}
THIS_FILE = Path(__file__).resolve()


def _project_files(suffix: str):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.intersection(relative.parts) or path.resolve() == THIS_FILE:
            continue
        yield relative, path.read_text(encoding="utf-8")


# --- unknown names ------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_unknown_rule_is_a_clear_error_not_a_silent_answer(coordinator):
    with pytest.raises(policy.UnknownRule, match="no.such_rule"):
        policy.can(coordinator, "no.such_rule")
    with pytest.raises(policy.UnknownRule):
        policy.require(coordinator, "no.such_rule")
    with pytest.raises(policy.UnknownRule):
        policy.scoped("no.such_scope", coordinator)
    # Raised even for visitors who would be refused anyway: a typo must not hide behind a "no".
    with pytest.raises(policy.UnknownRule):
        policy.can(None, "no.such_rule")
    assert issubclass(policy.UnknownRule, ImproperlyConfigured)
    assert issubclass(policy.UnknownRule, LookupError)


def test_a_rule_name_has_one_owner():
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        policy.register("hub.use", lambda user, obj=None: True)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        policy.scope("providers.organisations")(lambda user: None)


# --- every name used is registered ----------------------------------------------------------
NAME = r"([a-z_]+\.[a-z_]+)"
RULE_USES = [
    re.compile(r"permission_required\(\s*\"" + NAME + '"'),
    re.compile(r"\b(?:can|require)\(\s*[\w.]+\s*,\s*\"" + NAME + '"'),
    re.compile(r"own_organisation_or_403\(\s*\w+\s*,\s*\"" + NAME + '"'),
    re.compile(r"\|can:\"" + NAME + '"'),
]
SCOPE_USES = [re.compile(r"\bscoped\(\s*\"" + NAME + '"')]


def names_used(text: str) -> tuple[set[str], set[str]]:
    rules = {match for pattern in RULE_USES for match in pattern.findall(text)}
    scopes = {match for pattern in SCOPE_USES for match in pattern.findall(text)}
    return rules, scopes


def unregistered(text: str) -> set[str]:
    rules, scopes = names_used(text)
    return {name for name in rules if name not in policy.RULES} | {name for name in scopes if name not in policy.SCOPES}


def test_every_rule_and_scope_named_in_the_code_is_registered():
    used_rules, used_scopes, missing = set(), set(), {}
    for relative, text in [*_project_files(".py"), *_project_files(".html")]:
        rules, scopes = names_used(text)
        used_rules |= rules
        used_scopes |= scopes
        if unknown := unregistered(text):
            missing[str(relative)] = sorted(unknown)
    assert missing == {}
    # The scan really finds the uses (views, decorators, templates, scopes).
    assert {"hub.use", "backoffice.use", "organisation.work", "emblem.decide", "api.use"} <= used_rules
    assert {"providers.organisations", "emblem.notifications"} <= used_scopes


def test_control_the_name_check_flags_an_unregistered_name():
    for text in (
        '@permission_required("hub.usee")',
        'policy.can(request.user, "tool.veiw", tool)',
        'policy.require(request.user, "emblem.decidee")',
        'own_organisation_or_403(request, "organisation.wrok")',
        '{% if request.user|can:"backoffice.uses" %}',
        'policy.scoped("emblem.notification", user)',
    ):
        assert unregistered(text), text
    assert unregistered('policy.can(request.user, "hub.use")') == set()


# --- no role checks outside the rules -------------------------------------------------------
ROLE_PREDICATES = r"\b(?:is_coordinator|is_officer|is_provider|is_verified_officer|is_org_admin|is_org_member)\b"
PYTHON_ROLE_CHECKS = [
    re.compile(r"\.role\s*(?:==|!=|\bin\b|\bnot in\b)"),
    re.compile(r"(?:==|!=)\s*[\w.]*\bRole\."),
    re.compile(ROLE_PREDICATES),
]
# In templates `message.role` is the side a case message came from, not a user's role.
TEMPLATE_ROLE_CHECKS = [re.compile(r"\b(?:user|author)\.role\b"), re.compile(ROLE_PREDICATES)]


def role_checks(text: str, *, template: bool) -> list[str]:
    patterns = TEMPLATE_ROLE_CHECKS if template else PYTHON_ROLE_CHECKS
    return [line.strip() for line in text.splitlines() if any(pattern.search(line) for pattern in patterns)]


def _outside_the_rules(relative: Path) -> bool:
    parts = relative.parts
    return not (
        relative.name in {"rules.py", "models.py"}  # where roles are defined and checked
        or "tests" in parts
        or "migrations" in parts
        or parts[:2] == ("core", "demo")  # demo data describes accounts by role
        or relative.name in {"seed_demo.py", "conftest.py"}
        or parts[0] in {"testkit", "bench"}
    )


def test_no_view_service_or_template_checks_a_role_itself():
    checked, found = 0, {}
    for relative, text in _project_files(".py"):
        if _outside_the_rules(relative):
            checked += 1
            if lines := role_checks(text, template=False):
                found[str(relative)] = lines
    for relative, text in _project_files(".html"):
        checked += 1
        if lines := role_checks(text, template=True):
            found[str(relative)] = lines
    assert found == {}
    assert checked > 100  # the views, services and templates were all read


def test_control_the_role_check_scan_flags_role_checks():
    assert role_checks('    if request.user.role == "coordinator":', template=False)
    assert role_checks("    from_coordinator = by.role == User.Role.COORDINATOR", template=False)
    assert role_checks('    if user.role in ("officer", "coordinator"):', template=False)
    assert role_checks("    if policy.is_coordinator(request.user):", template=False)
    assert role_checks("{% if is_coordinator %}<a>…</a>{% endif %}", template=True)
    assert role_checks('{% if request.user.role == "provider" %}', template=True)
    # What is not a role check stays allowed: creating an account with a role, a message's side.
    assert not role_checks("    user = User.objects.create_user(email, role=User.Role.PROVIDER)", template=False)
    assert not role_checks('{% if message.role == "coordinator" %}', template=True)
