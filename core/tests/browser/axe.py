"""axe-core in the browser tests: the pinned, vendored copy run inside a page.

The file comes from the npm registry (testkit/vendor/axe-core-<version>/README.md says how to
update it); its sha256 is checked before use, so a changed or truncated copy fails the test
instead of scanning with something else. The app never serves it: the test evaluates it in
the page through the DevTools protocol, which the page's Content-Security-Policy does not
govern, so the production CSP stays exactly as it is.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_FILE = Path(settings.BASE_DIR) / "testkit" / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"

# axe's default rule set (WCAG 2.0-2.2 A and AA, best practices; not the rules axe itself
# turns off, such as target-size). Only violations are listed in full, which saves axe
# collecting every element that passes.
RUN_OPTIONS = {"resultTypes": ["violations"]}
FAILING_IMPACTS = ("serious", "critical")


@functools.cache
def axe_source() -> str:
    """The vendored axe.min.js, after checking it is the pinned file."""
    content = AXE_FILE.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    assert digest == AXE_SHA256, f"{AXE_FILE} has sha256 {digest}, not the pinned {AXE_SHA256}"
    return content.decode("utf-8")


def scan(page) -> list[dict]:
    """axe's violations on the page as it is now: one dict per rule, with its nodes."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated as a script, not added as a <script> element, so no CSP rule is involved.
        version = page.evaluate(axe_source() + "\n;window.axe.version")
        assert version == AXE_VERSION, version
    return page.evaluate("options => window.axe.run(document, options).then(result => result.violations)", RUN_OPTIONS)


def failures(violations: list[dict], where: str) -> list[str]:
    """One readable line per element failing a serious or critical rule."""
    lines = []
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) at {target}: {violation['help']}")
    return lines
