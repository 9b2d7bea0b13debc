"""Templates ask the policy, as views do: `{% if request.user|can:"backoffice.use" %}`."""

from django import template

from core import policy

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    return policy.can(user, action)
