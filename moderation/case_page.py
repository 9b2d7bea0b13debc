"""What apps above moderation add to a case page (concerns: the concerns the decision was taken
on), so that moderation imports none of them. Registered from their AppConfig.ready()."""

from collections.abc import Callable

from django.utils.safestring import SafeString

# Each returns the HTML of a `<dt>`/`<dd>` pair for the case's details list, or None.
CaseDetail = Callable[..., str | None]

_details: list[tuple[str, CaseDetail]] = []


def add_detail(render: CaseDetail) -> None:
    name = f"{render.__module__}.{render.__qualname__}"
    if name not in {registered for registered, _render in _details}:
        _details.append((name, render))


def details(request, notice) -> list[SafeString]:
    return [SafeString(html) for _name, render in _details if (html := render(request, notice))]
