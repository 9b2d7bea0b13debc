from django import template
from django.utils.safestring import mark_safe

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, top_level=1):
    """Render Markdown written by coordinators; the output is sanitised, so it is safe.

    ``top_level`` is the level of the text's first heading: ``|markdown:3`` under an <h2>.
    """
    return mark_safe(render_markdown(text, top_level))  # noqa: S308 - sanitised by nh3 with an allow-list
