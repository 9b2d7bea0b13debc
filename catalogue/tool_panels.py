"""What apps above the catalogue add to a tool's pages, so that the catalogue imports none of them.

- A *state page* replaces the officers' page of a tool in given states: moderation shows a
  suspended or removed tool's notice instead of its entry. With none registered, such a tool is
  hidden like any unpublished one (rule `tool.view`).
- *Panels* are blocks of HTML on the officers' tool page (`OFFICERS`) or on the provider's page
  of their own tool (`PROVIDERS`): functions `(request, tool) -> str | None`, shown in `order`.

Apps register from their `AppConfig.ready()`.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import SafeString

OFFICERS = "officers"
PROVIDERS = "providers"

Panel = Callable[..., str | None]

_state_pages: dict[str, Callable] = {}
_panels: dict[str, list[tuple[int, str, Panel]]] = {OFFICERS: [], PROVIDERS: []}


def replace_page(states: Iterable[str], view: Callable) -> None:
    """Show `view(request, tool)` instead of the entry while the tool is in one of `states`."""
    for state in states:
        existing = _state_pages.get(state)
        if existing is not None and existing is not view:
            raise ImproperlyConfigured(f"Two apps replace the tool page in state {state!r}.")
        _state_pages[state] = view


def state_page(tool) -> Callable | None:
    return _state_pages.get(tool.state)


def add_panel(page: str, *, order: int, render: Panel) -> None:
    """Show `render(request, tool)` on `page` (OFFICERS or PROVIDERS); it returns HTML or None."""
    name = f"{render.__module__}.{render.__qualname__}"
    panels = [entry for entry in _panels[page] if entry[1] != name]  # idempotent across ready() calls
    panels.append((order, name, render))
    panels.sort(key=lambda entry: (entry[0], entry[1]))
    _panels[page] = panels


def panels(page: str, request, tool) -> list[SafeString]:
    """The panels' HTML for this request, in order; panels with nothing to show are left out."""
    shown = []
    for _order, _name, render in _panels[page]:
        html = render(request, tool)
        if html:
            shown.append(SafeString(html))
    return shown
