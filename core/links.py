"""Links that may only lead somewhere on this site."""


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
