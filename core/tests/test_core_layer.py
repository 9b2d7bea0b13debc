"""`core` is the platform under every domain app: it must not import the apps built on it.

`core/policy.py` still reaches `providers` and `terms` (its rules move to registries in the
domain apps separately), so only the apps above those are checked here."""

import ast
from pathlib import Path

from django.conf import settings

CORE = Path(settings.BASE_DIR) / "core"
FORBIDDEN = {"demo", "home", "reports", "api", "catalogue", "questionnaires", "moderation", "emblem"}


def imported_apps(folder: Path) -> dict[str, set[str]]:
    """Top-level packages each production module of `folder` imports (at any depth of the file)."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        if "tests" in path.relative_to(folder).parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(folder))] = names
    return found


def forbidden_imports(folder: Path) -> list[str]:
    return sorted(
        f"{module} imports {app}" for module, apps in imported_apps(folder).items() for app in apps & FORBIDDEN
    )


def test_core_imports_no_app_built_on_it():
    assert forbidden_imports(CORE) == []


def test_the_check_notices_a_forbidden_import(tmp_path):
    """Control: a core-like folder with an upward import, at module level or inside a function."""
    (tmp_path / "views.py").write_text("from catalogue.models import Tool\n")
    (tmp_path / "selectors.py").write_text("def f():\n    import demo.seed\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import reports\n")  # tests may reach anywhere
    assert forbidden_imports(tmp_path) == ["selectors.py imports demo", "views.py imports catalogue"]
