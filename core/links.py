"""Links: paths that may only lead somewhere on this site, and absolute links for emails."""

from django.conf import settings


def local_path(link: str) -> str:
    """`link` if it is a path on this site, otherwise "".

    "//host/…" and "\\\\host" are other sites to a browser; a bare word ("x") is not a path (and
    django.shortcuts.redirect would read it as a view name); control characters never belong.
    """
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    if any(ord(char) < 32 or ord(char) == 127 for char in link):
        return ""
    return link


def posted_next(request, fallback: str) -> str:
    """Where a form goes back to: the `next` it posted when that is a path on this site
    (`local_path`), else `fallback`."""
    return local_path(request.POST.get("next", "")) or fallback


def site_url() -> str:
    """The hub's public address (settings.SITE_URL, e.g. https://hub.example.org), without a
    trailing slash. Emails are read away from any request, so their links cannot come from a
    request's host: every link in an email is built from here."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """The link to a path of this site (from reverse()) for an email or another medium."""
    if not path.startswith("/"):
        raise ValueError(f"not a path on this site: {path!r}")
    return site_url() + path
