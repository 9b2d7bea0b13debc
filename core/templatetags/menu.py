"""The main menu (core/menu.py): `{% main_menu %}` in the page, `menu|allows:"rule"` in its template."""

from django import template

from core.menu import main_menu as menu_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    # The reader base.html's `{% if user.is_authenticated %}` asked about.
    return menu_html(context["user"])


@register.filter
def allows(menu, action: str) -> bool:
    return menu.allows(action)
