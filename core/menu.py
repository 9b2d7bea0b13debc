"""The signed-in main menu's items, rendered once per language and per answer of the policy.

The menu differs between users only by what the policy answers to the questions its template
asks (`menu|allows:"backoffice.use"`), yet rendering it reversed some twenty addresses and
translated as many labels on every page. Each language keeps a small decision tree: a node is
the question the template asked next, a leaf the HTML it rendered. A page walks the tree asking
the policy the same questions for its user, and renders (recording what it asks) only along a
path not seen before. Whatever the template asks, every user is asked, so no user can be shown
another's menu.
"""

from __future__ import annotations

import threading

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import policy

TEMPLATE = "includes/main_menu.html"

_trees: dict[tuple[str, str], dict] = {}
_lock = threading.Lock()


class MenuQuestions:
    """What the menu template asks the policy about its reader, in order (`menu|allows`)."""

    def __init__(self, user):
        self.user = user
        self.asked: list[tuple[str, bool]] = []

    def allows(self, action: str) -> bool:
        answer = policy.can(self.user, action)
        self.asked.append((action, answer))
        return answer


def main_menu(user) -> SafeString:
    root = (get_language(), get_script_prefix())
    node = _trees.get(root)
    while node is not None and "html" not in node:
        node = node["answers"].get(policy.can(user, node["asks"]))
    if node is not None:
        return node["html"]
    questions = MenuQuestions(user)
    html = mark_safe(render_to_string(TEMPLATE, {"menu": questions}))  # noqa: S308 - the template's output
    with _lock:
        _keep(root, questions.asked, html)
    return html


def _keep(root: tuple[str, str], asked: list[tuple[str, bool]], html: SafeString) -> None:
    if not asked:
        _trees[root] = {"html": html}
        return
    node = _trees.setdefault(root, {"asks": asked[0][0], "answers": {}})
    for position, (action, answer) in enumerate(asked):
        if node.get("asks") != action:
            return  # the template asked otherwise than before: not kept, rendered every time
        if position + 1 < len(asked):
            node = node["answers"].setdefault(answer, {"asks": asked[position + 1][0], "answers": {}})
        else:
            node["answers"][answer] = {"html": html}
