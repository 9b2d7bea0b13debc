"""Templates ask the policy, as views do: `{% if request.user|can:"backoffice.use" %}`, or about
an object: `{% allowed request.user "rule" obj as may %}{% if may %}`."""

from django import template

from core import policy

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    return policy.can(user, action)


@register.simple_tag
def allowed(user, action: str, obj=None) -> bool:
    return policy.can(user, action, obj)
