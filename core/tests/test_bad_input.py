"""Nothing a visitor sends produces a 500 (SECURITY.md IN-02)."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit.personas import make_personas, sign_in
from testkit.urltable import all_expectations, build_world

pytestmark = pytest.mark.django_db

# Routes whose POST ends the session would stop the crawl early.
SKIP = {"account_logout"}

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name") and attrs.get("type") != "file":
            if attrs["name"] != "csrfmiddlewaretoken":
                self.names.add(attrs["name"])


def form_fields(client, url):
    response = client.get(url)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return set()
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.names


hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from([XSS, "' OR 1=1 --", "\x00", "9" * 400, "-1", "2024-13-45", "http://", "@@", "../../etc/passwd"]),
)


@pytest.mark.parametrize("persona", ["anonymous", "pending_officer", "provider_a", "coordinator"])
def test_random_form_input_never_causes_a_server_error(persona):
    users = make_personas()
    world = build_world(users)
    client = Client(raise_request_exception=False)
    if users[persona] is not None:
        sign_in(client, users[persona])
    targets = []
    for name, expect in sorted(all_expectations().items()):
        if name in SKIP:
            continue
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        fields = form_fields(client, url)
        if fields:
            targets.append((url, sorted(fields)))

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def fuzz(data):
        for url, fields in targets:
            payload = {field: data.draw(hostile_text) for field in fields}
            response = client.post(url, payload)
            assert response.status_code < 500, (url, payload)

    fuzz()


def test_hostile_text_is_shown_escaped(signed_in, pending_officer):
    client = signed_in(pending_officer)
    profile = pending_officer.officer
    response = client.post(
        "/account/profile/",
        {
            "full_name": XSS,
            "agency": profile.agency,
            "unit": profile.unit,
            "country": "FR",
            "position": profile.position,
        },
        follow=True,
    )
    body = response.content.decode()
    assert XSS not in body
    assert "&lt;script&gt;" in body
