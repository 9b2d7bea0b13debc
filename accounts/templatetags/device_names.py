"""`{{ session.user_agent|device_name }}`: "Chrome on Windows" instead of the raw header."""

from django import template

from accounts.user_agents import describe_user_agent

register = template.Library()


@register.filter
def device_name(user_agent: str | None) -> str:
    return describe_user_agent(user_agent)
