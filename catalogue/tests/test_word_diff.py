"""The review of an update marks changed words, and provider text never becomes markup."""

import re

from django.urls import reverse
from django.utils import timezone

from catalogue import word_diff as word_diff_module
from catalogue.models import ToolState
from catalogue.word_diff import tokens, word_diff
from testkit import factories


def test_only_the_changed_words_are_marked():
    result = word_diff("Finds old servers quickly.", "Finds new servers quickly.")
    assert result.before == "Finds <del>old</del> servers quickly."
    assert result.after == "Finds <ins>new</ins> servers quickly."


def test_added_and_removed_words_and_line_breaks():
    result = word_diff("One.\nTwo three.", "One.\nTwo.")
    assert result.before == "One.<br>Two<del> three</del>."
    assert result.after == "One.<br>Two."
    result = word_diff("", "Brand new")
    assert result.before == "" and result.after == "<ins>Brand new</ins>"


def test_chinese_changes_are_marked_by_character():
    assert tokens("检测服务器") == ["检", "测", "服", "务", "器"]
    result = word_diff("检测服务器", "检测设备")
    assert result.before.startswith("检测<del>") and result.after.startswith("检测<ins>")


def test_html_in_provider_text_is_escaped_on_both_sides():
    before = "Safe <b>text</b> here"
    after = 'Safe <script>alert(1)</script> <img src=x onerror=alert(2)> here & "there"'
    result = word_diff(before, after)
    for side in (result.before, result.after):
        assert "<script" not in side and "<img" not in side and "<b>" not in side
    # Without the marks, each side is exactly the escaped text the provider typed.
    unmarked = re.sub(r"</?(ins|del)>", "", result.after)
    assert (
        unmarked
        == "Safe &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; here &amp; &quot;there&quot;"
    )
    assert re.sub(r"</?(ins|del)>", "", result.before) == "Safe &lt;b&gt;text&lt;/b&gt; here"


def test_control_without_escaping_the_script_would_reach_the_page(monkeypatch):
    # Break the escaping on purpose: the assertion of the test above then fails.
    monkeypatch.setattr(word_diff_module, "escape", lambda text: text)
    assert "<script>" in word_diff("a", "<script>alert(1)</script>").after


def test_the_review_page_escapes_provider_html_in_the_diff(coordinator, signed_in, db):
    published = factories.ToolFactory(
        state=ToolState.PUBLISHED, published_at=timezone.now(), short_description="Finds servers."
    )
    revision = factories.ToolFactory(
        organisation=published.organisation,
        revision_of=published,
        state=ToolState.SUBMITTED,
        submitted_at=timezone.now(),
        name=published.name,
        long_description=published.long_description,
        website=published.website,
        short_description='Finds <script>alert("x")</script> servers.',
    )
    html = signed_in(coordinator).get(reverse("catalogue:review_detail", args=[revision.slug])).content.decode()
    table = html.split('<table class="diff">')[1].split("</table>")[0]
    assert "<script>" not in table
    assert "</ins> servers." in table
    unmarked = re.sub(r"</?(ins|del)>", "", table)
    assert "Finds &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; servers." in unmarked
