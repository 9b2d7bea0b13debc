from django import template
from django.utils.safestring import mark_safe

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown written by coordinators; the output is sanitised, so it is safe."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 with an allow-list
