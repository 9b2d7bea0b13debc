"""The layers hold (docs/architecture.md): the import-linter contract in `.importlinter` is kept,
and it breaks when a lower layer imports a higher one, even inside a function."""

import shutil
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def root_packages() -> list[str]:
    config = ConfigParser()
    config.read(ROOT / ".importlinter")
    return config["importlinter"]["root_packages"].split()


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own linter on our own tree
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / ".importlinter", tree / ".importlinter")
    for package in root_packages():
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return tree


def test_every_app_states_its_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(root_packages()), f"apps without a layer in .importlinter: {sorted(apps - set(root_packages()))}"


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    """Control: the platform reaching up into a domain, even inside a function, fails."""
    tree = copy_of_the_code(tmp_path)
    links = tree / "core" / "links.py"
    links.write_text(links.read_text() + "\n\ndef dodge():\n    from catalogue.models import Tool\n\n    return Tool\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "core.links -> catalogue.models" in result.stdout


def test_a_domain_importing_a_higher_domain_breaks_the_contract(tmp_path):
    """Control: accounts (low) importing moderation (high) fails."""
    tree = copy_of_the_code(tmp_path)
    services = tree / "accounts" / "services.py"
    services.write_text("import moderation.models  # noqa\n" + services.read_text())
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "accounts.services -> moderation.models" in result.stdout
