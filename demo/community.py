"""Demo data of Meet other officers: officers listed with different choices, one who is not
listed, an accepted connection with a short conversation and two pending requests.

Idempotent: a listing, request or conversation the demo already has is left as it is. Written
through the community's services, so audit events and inbox entries are real.
"""

from __future__ import annotations

from accounts.models import User
from catalogue.models import Tool, ToolState
from community import services
from community.models import Connection, DirectoryProfile
from questionnaires.selectors import workflow_steps

from . import data

# email -> (display name, fields shown, languages, number of workflow steps, number of tools)
LISTINGS = {
    f"officer@{data.DEMO_DOMAIN}": (
        "Demo Amina H.",
        ("show_agency", "show_country", "show_languages", "show_expertise", "show_tools"),
        ["ar", "en", "fr"],
        2,
        2,
    ),
    f"officer-ke@{data.DEMO_DOMAIN}": (
        "Demo Kip",
        ("show_country", "show_languages", "show_expertise"),
        ["sw", "en"],
        3,
        0,
    ),
    f"officer-br@{data.DEMO_DOMAIN}": ("Demo Bruna", ("show_unit", "show_tools"), ["pt"], 0, 1),
    f"officer-ph@{data.DEMO_DOMAIN}": ("Demo Pilar", ("show_agency", "show_expertise"), ["tl", "en"], 1, 0),
    # officer-ca@ is deliberately not listed: hidden unless they opt in.
}

CONVERSATION = (
    (
        "officer-ke",
        "Demo: hello Amina, I saw you listed media review as an area of expertise. How do you keep review sessions short for your team?",
    ),
    (
        "officer",
        "Demo: we limit sessions to an hour, with a break and a colleague to talk to after each one. Happy to share our checklist.",
    ),
    ("officer-ke", "Demo: that would help. Our unit is writing its own wellbeing routine this quarter."),
)
REQUESTS = (
    ("officer-br", "officer", "Demo: I would like to compare notes on triage tools for large seizures."),
    ("officer", "officer-ph", "Demo: could we talk about victim identification workflows?"),
)
ACCEPTED_NOTE = "Demo: we work on similar cases and I would value your experience."


def _user(prefix: str) -> User:
    return User.objects.get(email=f"{prefix}@{data.DEMO_DOMAIN}")


def _listings() -> None:
    steps = [f"step:{option.value}" for option in workflow_steps()]
    tools = list(
        Tool.objects.filter(organisation__is_demo=True, state=ToolState.PUBLISHED, revision_of__isnull=True).order_by(
            "slug"
        )
    )
    for email, (name, shown, languages, step_count, tool_count) in LISTINGS.items():
        user = User.objects.filter(email=email).first()
        if user is None or DirectoryProfile.objects.filter(user=user).exists():
            continue
        services.save_listing(
            user,
            listed=True,
            display_name=name,
            shown=dict.fromkeys(shown, True),
            languages=languages,
            expertise=steps[:step_count],
            tools=tools[:tool_count],
        )


def _connection(requester: User, recipient: User, note: str) -> Connection | None:
    if Connection.objects.filter(pair=Connection.pair_of(requester, recipient)).exists():
        return None
    return services.request_contact(requester, recipient, note=note)


def seed_community() -> None:
    _listings()
    amina, kip = _user("officer"), _user("officer-ke")
    accepted = _connection(kip, amina, ACCEPTED_NOTE)
    if accepted is not None:
        services.respond(accepted, by=amina, accept=True)
        for sender, body in CONVERSATION:
            services.send_message(accepted, sender=_user(sender), body=body)
    for requester, recipient, note in REQUESTS:
        _connection(_user(requester), _user(recipient), note)
