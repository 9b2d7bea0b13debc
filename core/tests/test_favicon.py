"""The site icon: browsers ask for /favicon.ico on their own, signed in or not, MFA set up or
not. It must be answered directly (no redirect, no login) so it can never load a page unseen."""

import re

import pytest
from django.test import Client

from testkit import factories
from testkit.navigation import FAVICON, PAGE_LOAD
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db


def clients():
    anonymous = Client()
    factorless = sign_in(Client(), factories.OfficerProfileFactory(verified=True).user, mfa=False)
    signed_in = sign_in(Client(), factories.CoordinatorFactory())
    return {"anonymous": anonymous, "without MFA": factorless, "signed in": signed_in}


def test_favicon_is_served_directly_to_everyone():
    for who, client in clients().items():
        response = client.get("/favicon.ico", **FAVICON)
        assert response.status_code == 200, who
        assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon"), who
        assert "Location" not in response
        body = b"".join(response.streaming_content)
        assert body[:4] == b"\x00\x00\x01\x00", who  # an ICO header
        assert "no-store" not in response.get("Cache-Control", ""), who


def test_every_page_links_its_icons_and_they_exist():
    client = Client()
    page = client.get("/", **PAGE_LOAD).content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)
    assert len(icons) == 3
    for href in icons:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response["Content-Type"].startswith("image/"), href
