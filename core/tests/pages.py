"""Reading server-rendered pages in tests: the forms on a page and its error summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Inputs a person fills in (hidden inputs and buttons carry the page's state instead).
TYPED_INPUTS = {"text", "email", "url", "number", "date", "search", "tel", "password", "datetime-local", ""}
CHOSEN_INPUTS = {"radio", "checkbox"}


@dataclass
class PageForm:
    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    classes: str = ""
    values: dict[str, str] = field(default_factory=dict)  # what each typed field shows

    def value(self, name: str) -> str:
        return self.values.get(name, "").lstrip("\n")

    @property
    def has_input(self) -> bool:
        """Whether a person types or chooses something in this form (not just a button)."""
        return bool(self.fields)


@dataclass
class ErrorSummary:
    items: int = 0
    links: list[str] = field(default_factory=list)
    autofocus: bool = False


class Page(HTMLParser):
    """The ids, forms and error summary of one HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.forms: list[PageForm] = []
        self.summary: ErrorSummary | None = None
        self.field_errors = 0
        self._form: PageForm | None = None
        self._summary_depth = 0
        self._depth = 0
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            self._depth += 1
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        classes = attrs.get("class", "").split()
        if "errorlist" in classes:
            self.field_errors += 1
        if tag == "div" and "error-summary" in classes and self.summary is None:
            self.summary = ErrorSummary(autofocus="autofocus" in attrs)
            self._summary_depth = self._depth
        if self._summary_depth:
            if tag == "li":
                self.summary.items += 1
            if tag == "a" and attrs.get("href", "").startswith("#"):
                self.summary.links.append(attrs["href"][1:])
        if tag == "form":
            self._form = PageForm(
                action=attrs.get("action", ""),
                method=attrs.get("method", "get").lower(),
                classes=attrs.get("class", ""),
            )
            self.forms.append(self._form)
        # A disabled field shows the stored value whatever was sent: nothing to type, nothing to keep.
        name = None if "disabled" in attrs else attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "").lower()
            if self._form is not None and kind in TYPED_INPUTS:
                self._form.values.setdefault(name, attrs.get("value", ""))
            if self._form is not None:
                if kind == "hidden":
                    self._form.hidden[name] = attrs.get("value", "")
                elif kind in TYPED_INPUTS or kind in CHOSEN_INPUTS or kind == "file":
                    self._form.fields.append((name, kind))
        if tag in ("select", "textarea") and name:
            if self._form is not None:
                self._form.fields.append((name, tag))
            if tag == "textarea" and self._form is not None:
                self._textarea = name
                self._form.values[name] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._form = None
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            if self._summary_depth and self._depth == self._summary_depth and tag == "div":
                self._summary_depth = 0
            self._depth -= 1

    def form_posting_to(self, path: str) -> PageForm | None:
        for form in self.forms:
            if form.action.split("?")[0] == path:
                return form
        return None


def summary_problems(html: str) -> list[str]:
    """What is wrong with a refused form's page: no summary, an error without a link, a link to nothing."""
    page = Page(html)
    if page.summary is None:
        return ["no error summary"]
    problems = []
    if not page.summary.autofocus:
        problems.append("the summary is not focused on load")
    if page.summary.items == 0:
        problems.append("an empty error summary")
    if len(page.summary.links) < page.summary.items:
        problems.append(f"{page.summary.items - len(page.summary.links)} error(s) without a link")
    for target in page.summary.links:
        if target not in page.ids:
            problems.append(f"a link to #{target}, which is not on the page")
        elif page.ids.count(target) > 1:
            problems.append(f"a link to #{target}, which is on the page {page.ids.count(target)} times")
    return problems
