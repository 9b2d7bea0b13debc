"""Who may report a concern, follow their own, triage concerns, or answer one as the provider."""

from accounts.rules import is_coordinator, is_verified_officer
from core import policy
from providers.rules import is_org_member, working_provider

policy.register("concern.triage", lambda user, obj=None: is_coordinator(user))
policy.register("concern.mine", lambda user, obj=None: True)  # anyone signed in
policy.register("concern.provider_list", working_provider)


@policy.rule("concern.report")
def _report_concern(user, tool=None) -> bool:
    """Reporting a concern about a tool: anyone signed in and in good standing for their role
    (a verified officer, a member of an approved provider organisation that accepted the terms,
    a coordinator), about a published or suspended tool; providers not about their own
    organisation's tools. Anyone can sign up as a provider: until the organisation is approved,
    its members cannot probe the catalogue or file concerns."""
    if not (is_verified_officer(user) or working_provider(user) or is_coordinator(user)):
        return False
    if tool is None:
        return True
    if tool.state not in ("published", "suspended"):
        return False
    return not is_org_member(user, tool.organisation)


@policy.rule("concern.provider_respond")
def _respond_to_concern(user, concern) -> bool:
    """A concern the coordinators asked the provider to respond to: that tool's organisation's members.

    Still theirs to read after a later decision on it (the request stays on the concern)."""
    return bool(concern.provider_request) and is_org_member(user, concern.tool.organisation)
