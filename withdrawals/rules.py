"""Who may withdraw a tool (who may take an organisation out of the hub: providers/rules.py,
"organisation.leave").

Neither needs the organisation to have accepted the current provider terms: consent given by
accepting terms can always be withdrawn (PRODUCT.md 4, "Consent")."""

from core import policy
from providers.rules import is_org_admin


@policy.rule("tool.withdraw")
def _withdraw_tool(user, tool) -> bool:
    """An administrator of the tool's organisation (whether the tool can be withdrawn now, being
    published, is the service's check)."""
    return is_org_admin(user, tool.organisation)
