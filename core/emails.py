"""Email subjects are plain text: rendered without HTML escaping (a tool called `"A" <B>` is
written as such, not `&quot;A&quot; &lt;B&gt;`) and on one line, so that a provider-supplied
name can never put a line break into a mail header."""

from django.template import Context
from django.template.loader import get_template


def render_subject(template_name: str, context: dict) -> str:
    template = get_template(template_name).template  # the Django engine's own Template
    return " ".join(template.render(Context(context, autoescape=False)).split())
