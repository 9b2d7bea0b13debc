"""Markdown to safe HTML: rendered without raw HTML, then cleaned by an allow-list (IN-02)."""

import nh3
from markdown_it import MarkdownIt

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
