"""The layers hold (docs/architecture.md): the import-linter contract in `.importlinter` is kept,
and it breaks when a lower layer imports a higher one, even inside a function."""

import json
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


# --- no import cycles between the modules of one app ------------------------------------
FIND_CYCLES = """
import json, sys
from configparser import ConfigParser
import grimp

config = ConfigParser()
config.read(".importlinter")
packages = config["importlinter"]["root_packages"].split()
graph = grimp.build_graph(*packages)
modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
edges = {
    m: sorted(n for n in graph.find_modules_directly_imported_by(m)
              if n in modules and n != m and n.split(".")[0] == m.split(".")[0])
    for m in modules
}
# Tarjan's strongly connected components: each one with more than one module is a cycle.
index, low, stack, on_stack, cycles = {}, {}, [], set(), []
sys.setrecursionlimit(10_000)
def visit(module):
    index[module] = low[module] = len(index)
    stack.append(module)
    on_stack.add(module)
    for imported in edges[module]:
        if imported not in index:
            visit(imported)
            low[module] = min(low[module], low[imported])
        elif imported in on_stack:
            low[module] = min(low[module], index[imported])
    if low[module] == index[module]:
        component = []
        while True:
            member = stack.pop()
            on_stack.discard(member)
            component.append(member)
            if member == module:
                break
        if len(component) > 1:
            cycles.append(sorted(component))
for module in sorted(modules):
    if module not in index:
        visit(module)
print(json.dumps(sorted(cycles)))
"""


def module_cycles(tree: Path) -> list[list[str]]:
    result = subprocess.run(  # noqa: S603 - our own script on our own tree
        [sys.executable, "-c", FIND_CYCLES], cwd=tree, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout)


def test_no_app_has_an_import_cycle_between_its_modules():
    assert module_cycles(ROOT) == []


def test_a_cycle_between_two_modules_of_an_app_is_found(tmp_path):
    """Control: the decisions module (below review) importing review makes a cycle."""
    tree = copy_of_the_code(tmp_path)
    decisions = tree / "catalogue" / "decisions.py"
    decisions.write_text(decisions.read_text() + "\n\ndef dodge():\n    from . import review\n\n    return review\n")
    assert ["catalogue.decisions", "catalogue.review"] in [cycle[:2] for cycle in module_cycles(tree)]
