"""Which terms apply to whom, and recording acceptance."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.rules import officer_profile
from accounts.services import officers_listed
from audit.models import Action
from audit.services import client_ip, record
from core import policy
from notifications.inbox import notify_many, register_message
from notifications.models import Kind

from .models import Audience, TermsAcceptance, TermsDocument

register_message(
    "terms_published",
    _("New version %(version)s of “%(title)s”: it takes effect on %(effective)s. Read what changed."),
)


def personal_audiences(user) -> list[str]:
    """Audiences whose current terms this user must accept personally."""
    role = getattr(user, "role", "")
    if role == "officer":
        return [Audience.LAW_ENFORCEMENT, Audience.DATA_PROTECTION]
    return [Audience.DATA_PROTECTION]


def current_documents(audiences, now=None) -> list[TermsDocument]:
    """The current version of each audience's terms (one query)."""
    today = (now or timezone.now()).date()
    docs = TermsDocument.objects.filter(audience__in=list(audiences), effective_from__lte=today).order_by(
        "audience", "-effective_from", "-loaded_at"
    )
    latest = {}
    for doc in docs:
        latest.setdefault(doc.audience, doc)
    return [latest[a] for a in audiences if a in latest]


CURRENT_IDS_CACHE_TIMEOUT = 300


def _current_ids_cache_key(today) -> str:
    generation = cache.get_or_set("terms:generation", 1, timeout=None)
    return f"terms:current:{generation}:{today.isoformat()}"


def current_document_ids(now=None) -> list[tuple[str, int]]:
    """(audience, id) of every audience's current document, cached briefly across requests.

    Loading a new version bumps the cache generation, so it applies at once."""
    today = (now or timezone.now()).date()
    key = _current_ids_cache_key(today)
    ids = cache.get(key)
    if ids is None:
        ids = [(doc.audience, doc.pk) for doc in current_documents(list(Audience.values), now)]
        cache.set(key, ids, timeout=CURRENT_IDS_CACHE_TIMEOUT)
    return [tuple(item) for item in ids]


def pending_documents_for(user, now=None) -> list[TermsDocument]:
    """Current documents the user has not yet accepted personally."""
    documents = current_documents(personal_audiences(user), now)
    if not documents:
        return []
    accepted = set(
        TermsAcceptance.objects.filter(user=user, document__in=documents).values_list("document_id", flat=True)
    )
    return [doc for doc in documents if doc.pk not in accepted]


def current_provider_terms(now=None) -> TermsDocument | None:
    documents = current_documents([Audience.PROVIDERS], now)
    return documents[0] if documents else None


def organisation_has_accepted_current_terms(organisation, now=None) -> bool:
    """True when an authorised member accepted the current provider terms (or none exist)."""
    document = current_provider_terms(now)
    if document is None:
        return True
    return TermsAcceptance.objects.filter(document=document, organisation=organisation).exists()


@transaction.atomic
def accept(user, document: TermsDocument, *, request=None, organisation=None) -> TermsAcceptance:
    """Record that `user` (for `organisation`, when given) accepted `document`."""
    acceptance, created = TermsAcceptance.objects.get_or_create(
        document=document,
        user=user,
        defaults={"organisation": organisation, "ip_address": client_ip(request), "accepted_at": timezone.now()},
    )
    if created:
        record(
            Action.TERMS_ACCEPTED,
            actor=user,
            target=document,
            request=request,
            after={
                "audience": document.audience,
                "version": document.version,
                "organisation": str(organisation.public_id) if organisation else None,
            },
        )
    return acceptance


def affected_users(audience: str):
    """Who a version of `audience` applies to: provider members accept the provider terms for
    their organisation, officers the law-enforcement terms, everyone the data protection policy."""
    users = User.objects.filter(is_active=True)
    if audience == Audience.PROVIDERS:
        return users.filter(role=User.Role.PROVIDER)
    if audience == Audience.LAW_ENFORCEMENT:
        return users.filter(role=User.Role.OFFICER)
    return users


def previous_version(document: TermsDocument) -> TermsDocument | None:
    """The version of the same audience loaded just before this one."""
    earlier = Q(loaded_at__lt=document.loaded_at) | Q(loaded_at=document.loaded_at, pk__lt=document.pk)
    return TermsDocument.objects.filter(earlier, audience=document.audience).order_by("-loaded_at", "-pk").first()


@dataclass
class DiffBlock:
    """A run of lines: `kind` is "same", "removed" or "added"; long unchanged runs are
    shortened to their edges, with `skipped` lines left out between them."""

    kind: str
    lines: list[str]
    skipped: int = 0
    tail: list[str] = field(default_factory=list)


DIFF_CONTEXT = 2


def diff_blocks(old_text: str, new_text: str) -> list[DiffBlock]:
    """A line diff (difflib) of two versions, as blocks a template renders with <del>/<ins>."""
    old, new = old_text.splitlines(), new_text.splitlines()
    blocks: list[DiffBlock] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines = old[i1:i2]
            head = lines[:DIFF_CONTEXT] if index > 0 else []
            tail = lines[-DIFF_CONTEXT:] if index < len(opcodes) - 1 else []
            if len(head) + len(tail) >= len(lines):
                blocks.append(DiffBlock("same", lines))
            else:
                blocks.append(DiffBlock("same", head, skipped=len(lines) - len(head) - len(tail), tail=tail))
            continue
        if tag in ("delete", "replace"):
            blocks.append(DiffBlock("removed", old[i1:i2]))
        if tag in ("insert", "replace"):
            blocks.append(DiffBlock("added", new[j1:j2]))
    return blocks


@transaction.atomic
def load_terms(
    *,
    audience: str,
    version: str,
    effective_from,
    title: str,
    body: str,
    summary: str = "",
    by=None,
    is_demo=False,
    request=None,
) -> TermsDocument:
    """Load (publish) a new version of a terms document; an existing version is never overwritten.

    Everyone it applies to is told through their inbox now, even when it takes effect later:
    they can read it at once, and are asked to accept it from its effective date."""
    if audience not in Audience.values:
        raise ValueError(f"Unknown audience {audience!r}")
    if TermsDocument.objects.filter(audience=audience, version=version).exists():
        raise ValueError(f"Version {version} of the {audience} terms already exists.")
    document = TermsDocument.objects.create(
        audience=audience,
        version=version,
        effective_from=effective_from,
        title=title,
        body=body,
        summary=summary.strip(),
        loaded_by=by,
        is_demo=is_demo,
    )
    _bump_generation()
    told = notify_many(
        affected_users(audience),
        Kind.TERMS_UPDATE,
        message="terms_published",
        params={
            "version": version,
            "title": title,
            "effective": effective_from.isoformat(),
            "detail": summary.strip(),
        },
        link=reverse("terms:public_detail", kwargs={"audience": audience, "version": version}),
    )
    record(
        Action.TERMS_LOADED,
        actor=by,
        target=document,
        request=request,
        after={
            "audience": audience,
            "version": version,
            "effective_from": effective_from.isoformat(),
            "users_told": len(told),
        },
    )
    return document


# --- who accepted a version (coordinators) --------------------------------------
@dataclass
class AcceptanceRow:
    label: str
    kind: str  # "organisation" or the user's role
    detail: str
    acceptance: TermsAcceptance | None
    user: User | None = None


def acceptance_report(document: TermsDocument, *, by, request=None) -> list[AcceptanceRow]:
    """Per version, who has and has not accepted it: approved organisations for the provider
    terms (an authorised member accepts for the organisation), people for the others. Names
    officers, so the view is audited like any list of officers."""
    if document.audience == Audience.PROVIDERS:
        accepted = {
            a.organisation_id: a
            for a in TermsAcceptance.objects.filter(document=document, organisation__isnull=False).select_related(
                "user"
            )
        }
        organisations = policy.scoped("providers.organisations", by).approved().order_by("name", "pk")
        return [
            AcceptanceRow(label=org.name, kind="organisation", detail="", acceptance=accepted.get(org.pk))
            for org in organisations
        ]
    accepted = {a.user_id: a for a in TermsAcceptance.objects.filter(document=document)}
    people = affected_users(document.audience).select_related("officer").order_by("role", "full_name", "pk")
    rows = []
    for person in people:
        officer = officer_profile(person)
        detail = f"{officer.agency}, {officer.country.name}" if officer else ""
        rows.append(
            AcceptanceRow(
                label=person.full_name or str(person),
                kind=person.get_role_display(),
                detail=detail,
                acceptance=accepted.get(person.pk),
                user=person,
            )
        )
    officers_listed([row.user for row in rows], by=by, request=request, page="terms_acceptances")
    return rows


def acceptances_exported(document: TermsDocument, rows: list[AcceptanceRow], *, by, request=None) -> None:
    """A coordinator downloaded the acceptance report of a version (AU-01: exports are audited)."""
    record(
        Action.TERMS_ACCEPTANCES_EXPORTED,
        actor=by,
        target=document,
        request=request,
        after={"rows": len(rows), "accepted": sum(1 for row in rows if row.acceptance)},
    )


def _bump_generation() -> None:
    """Every process reads the current documents again: now, and again after the commit (a
    request on another process during the commit still reads the old list, and would otherwise
    keep it under the new generation for CURRENT_IDS_CACHE_TIMEOUT). Harmless on a rollback: it
    only drops a cached lookup."""

    def bump():
        try:
            cache.incr("terms:generation")
        except ValueError:
            cache.set("terms:generation", 2, timeout=None)

    bump()
    transaction.on_commit(bump)
