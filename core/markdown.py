"""Markdown to safe HTML: rendered without raw HTML, then cleaned by an allow-list (IN-02)."""

from html import escape
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str, top_level: int = 1) -> str:
    """Render and sanitise; the text's own headings start at <h{top_level}> (never beyond <h6>).

    A document shown under a page heading must not open with a second <h1>: its headings
    sit below the heading of the page (or section) that shows it.
    """
    tokens = _renderer.parse(text or "")
    shift = max(0, min(int(top_level), 6) - 1)
    if shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    html = _renderer.renderer.render(tokens, _renderer.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# --- rich documents: images of this site, links to other sites marked ----------------
INTERNAL_REL = "noopener noreferrer"
EXTERNAL_REL = "noopener noreferrer external"
_MARKER_CLASSES = {"external-marker", "visually-hidden"}


def _is_external(href: str, own_host: str) -> bool:
    parsed = urlsplit(href)
    if href.startswith("//"):
        return True
    return bool(parsed.scheme) and parsed.scheme != "mailto" and parsed.netloc.lower() != own_host.lower()


def render_rich_markdown(
    text: str, *, top_level: int = 1, image_prefix: str = "", own_host: str = "", external_label: str = ""
) -> str:
    """Like `render_markdown`, for longer documents (the Learning Centre).

    Images are kept only when their address starts with `image_prefix` (a path of this site
    that serves re-encoded uploads); any other image becomes its text. Links to another origin
    than `own_host` get rel="noopener noreferrer external", the class "external" and a visible
    marker with `external_label` for screen readers. The allow-list then cleans the result.
    """
    tokens = _renderer.parse(text or "")
    shift = max(0, min(int(top_level), 6) - 1)
    for token in tokens:
        if shift and token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
        if token.type != "inline" or not token.children:
            continue
        children = []
        external_open = []
        for child in token.children:
            if child.type == "image":
                src = child.attrGet("src") or ""
                if not image_prefix or not src.startswith(image_prefix) or "//" in src:
                    child = Token("text", "", 0, content=child.content)
            elif child.type == "link_open":
                href = child.attrGet("href") or ""
                external = _is_external(href, own_host)
                external_open.append(external)
                child.attrSet("rel", EXTERNAL_REL if external else INTERNAL_REL)
                if external:
                    child.attrSet("class", "external")
            elif child.type == "link_close" and external_open and external_open.pop():
                children.append(child)
                marker = Token("html_inline", "", 0)
                marker.content = (
                    '<span class="external-marker"><span aria-hidden="true">↗</span>'
                    f'<span class="visually-hidden">{escape(external_label)}</span></span>'
                )
                children.append(marker)
                continue
            children.append(child)
        token.children = children
    html = _renderer.renderer.render(tokens, _renderer.options, {})

    def keep(tag, attribute, value):
        if tag == "a" and attribute == "rel":
            return value if value in (INTERNAL_REL, EXTERNAL_REL) else INTERNAL_REL
        if tag == "a" and attribute == "class":
            return "external" if value == "external" else None
        if tag == "span" and attribute == "class":
            return value if value in _MARKER_CLASSES else None
        if tag == "span" and attribute == "aria-hidden":
            return "true"
        if tag == "img" and attribute == "src":
            return value if image_prefix and value.startswith(image_prefix) and "//" not in value else None
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"img", "span"},
        attributes={
            "a": {"href", "title", "rel", "class"},
            "img": {"src", "alt", "title"},
            "span": {"class", "aria-hidden"},
        },
        url_schemes={"https", "http", "mailto"},
        link_rel=None,
        attribute_filter=keep,
    )
