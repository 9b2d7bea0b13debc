"""Which terms apply to whom, and recording acceptance."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import client_ip, record

from .models import Audience, TermsAcceptance, TermsDocument


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


@transaction.atomic
def load_terms(
    *, audience: str, version: str, effective_from, title: str, body: str, by=None, is_demo=False, request=None
) -> TermsDocument:
    """Load a new version of a terms document; an existing version is never overwritten."""
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
        loaded_by=by,
        is_demo=is_demo,
    )
    _bump_generation()
    record(
        Action.TERMS_LOADED,
        actor=by,
        target=document,
        request=request,
        after={"audience": audience, "version": version},
    )
    return document


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
