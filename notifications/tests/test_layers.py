"""`notifications` is platform: it imports no domain app (STYLE.md "Layers"). Domain apps
register their periodic jobs and inbox messages with it from their `AppConfig.ready()`."""

import ast
from pathlib import Path

from django.conf import settings

DOMAIN_APPS = {
    "accounts",
    "terms",
    "providers",
    "questionnaires",
    "catalogue",
    "emblem",
    "moderation",
    "api",
    "reports",
}
PLATFORM = Path(settings.BASE_DIR) / "notifications"


def domain_imports(source: str) -> list[str]:
    """Every domain module the source imports, at module level or inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in DOMAIN_APPS]
    return found


def test_notifications_imports_no_domain_app():
    offenders = {
        str(path.relative_to(PLATFORM)): imports
        for path in PLATFORM.rglob("*.py")
        if "tests" not in path.parts and (imports := domain_imports(path.read_text()))
    }
    assert offenders == {}


def test_control_the_check_finds_a_domain_import_even_inside_a_function():
    source = "from django.db import models\n\ndef jobs():\n    from accounts.services import expire_verifications\n"
    assert domain_imports(source) == ["accounts.services"]
    assert domain_imports("import catalogue.updates") == ["catalogue.updates"]
