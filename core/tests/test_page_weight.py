"""Page weight and phones (issue 12): compressed HTML except where a secret is shown, htmx only
on the pages that use it, every table in its own scroll box."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from core import compression

ROOT = Path(settings.BASE_DIR)
HTMX = "vendor/htmx-"


def templates() -> dict[str, str]:
    """{template name: source} of the project's own templates."""
    found = {}
    for directory in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in directory.parts:
            continue
        for path in directory.rglob("*.html"):
            found[str(path.relative_to(directory))] = path.read_text()
    return found


@pytest.mark.django_db
def test_pages_are_sent_compressed_with_a_fresh_csrf_token_each_time(client):
    first = client.get(reverse("core:landing"), headers={"accept-encoding": "gzip"})
    second = client.get(reverse("core:landing"), headers={"accept-encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    html = [gzip.decompress(response.content).decode() for response in (first, second)]
    assert len(first.content) < len(html[0]) / 2
    # BREACH precaution: the token in the page is masked afresh on every response.
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1) for page in html]
    assert tokens[0] != tokens[1]


def _response_to(path: str, view_response: HttpResponse):
    request = RequestFactory().get(path, headers={"accept-encoding": "gzip"})
    request.resolver_match = resolve(path)
    middleware = compression.CompressionMiddleware(lambda request: view_response)
    return middleware(request)


@pytest.mark.parametrize("name", sorted(compression.UNCOMPRESSED_VIEWS))
def test_pages_that_show_a_secret_are_never_compressed(name):
    kwargs = {"uidb36": "1", "key": "set-password"} if name == "account_reset_password_from_key" else {}
    path = reverse(name, kwargs=kwargs)  # also proves the name exists
    response = _response_to(path, HttpResponse("secret " * 100))
    assert not response.has_header("Content-Encoding")
    # Control: the same body from another page is compressed.
    assert _response_to(reverse("core:landing"), HttpResponse("secret " * 100))["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_the_api_token_page_is_never_compressed(client, signed_in, verified_officer):
    signed_in(verified_officer, confirmed=True)
    response = client.get(reverse("api:tokens"), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200 and len(response.content) > 200
    assert not response.has_header("Content-Encoding")
    # Control: the officer's other pages are compressed.
    assert client.get(reverse("accounts:profile"), headers={"accept-encoding": "gzip"})["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_htmx_is_loaded_only_by_pages_that_use_it(client, signed_in, verified_officer):
    assert HTMX not in client.get(reverse("core:landing")).content.decode()
    signed_in(verified_officer)
    assert HTMX in client.get(reverse("discovery:catalogue")).content.decode()
    assert HTMX not in client.get(reverse("accounts:profile")).content.decode()


def _pages_including(name: str, sources: dict[str, str], seen=None) -> set[str]:
    """The full pages (templates that extend a layout) that show template `name`."""
    seen = seen or set()
    if name in seen:
        return set()
    seen.add(name)
    source = sources[name]
    pages = {name} if "{% extends" in source else set()
    for other, other_source in sources.items():
        if re.search(r'{%\s*include\s+"' + re.escape(name) + '"', other_source):
            pages |= _pages_including(other, sources, seen)
    return pages


def test_every_page_with_htmx_attributes_loads_htmx():
    """Static check: a template using hx- attributes is shown only inside pages that fill the
    htmx block (fragments sent alone answer htmx's own requests)."""
    sources = templates()
    users = [name for name, source in sources.items() if re.search(r"\shx-(get|post|trigger|target)=", source)]
    assert "discovery/catalogue.html" in users and len(users) >= 5
    missing = set()
    for name in users:
        for page in _pages_including(name, sources):
            if '{% include "includes/htmx.html" %}' not in sources[page]:
                missing.add(page)
    assert not missing, f"pages using htmx without loading it: {sorted(missing)}"


def test_every_table_scrolls_in_its_own_box():
    unwrapped = []
    for name, source in templates().items():
        for match in re.finditer(r"<table\b", source):
            before = source[: match.start()]
            wrapper = before.rfind('class="table-scroll')
            if wrapper == -1 or "</table>" in before[wrapper:]:
                unwrapped.append(f"{name}:{before.count(chr(10)) + 1}")
    assert not unwrapped, f"tables outside a .table-scroll box: {unwrapped}"
