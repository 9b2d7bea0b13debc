"""Discussions in a user's data download: threads started, posts and field reports written,
agency-use declarations and subscriptions. On closing, what was written for others stays (shown
under "former member"); the private declarations and subscriptions go."""

from accounts.personal_data import iso, register_section

from .models import AgencyUse, FieldReport, Post, Subscription, Thread


def collect(user) -> dict:
    return {
        "threads_started": [
            {"title": t.title, "created_at": iso(t.created_at)}
            for t in Thread.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "posts": [
            {
                # Another author's thread title is their words: only its id is given.
                "thread": p.thread.title if p.thread.author_id == user.pk else str(p.thread.public_id),
                "text": p.body,
                "created_at": iso(p.created_at),
                "hidden": p.is_hidden,
            }
            for p in Post.objects.filter(author=user).select_related("thread").order_by("created_at", "pk")
        ],
        "field_reports": [
            {
                "tool": r.tool.name,
                "month_of_use": iso(r.used_in),
                "context": r.context,
                "data": r.data,
                "hurdles": r.hurdles,
                "integration": r.integration,
                "worked": r.worked,
                "did_not_work": r.did_not_work,
                "created_at": iso(r.created_at),
            }
            for r in FieldReport.objects.filter(author=user).select_related("tool").order_by("created_at", "pk")
        ],
        "agency_uses": [
            {"tool": u.tool.name, "declared_at": iso(u.created_at)}
            for u in AgencyUse.objects.filter(user=user).select_related("tool").order_by("pk")
        ],
        "subscriptions": Subscription.objects.filter(user=user).count(),
    }


def erase(user) -> None:
    AgencyUse.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).delete()


register_section("discussions", collect, erase=erase)
