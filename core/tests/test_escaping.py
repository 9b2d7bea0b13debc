"""core.escaping.text gives exactly Django's conditional_escape."""

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core import escaping


@pytest.mark.parametrize(
    "value",
    [
        "<b>\"Bold\" & 'quoted'</b>",
        "plain",
        "",
        12,
        None,
        mark_safe("<i>safe</i>"),
        gettext_lazy("Yes & <no>"),
        "ليس <b>",
    ],
)
def test_the_same_as_djangos_conditional_escape(value):
    assert escaping.text(value) == str(conditional_escape(value))
