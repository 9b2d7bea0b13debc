"""AUTH-02: the Django admin has no login of its own."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from testkit import factories

from .helpers import is_signed_in

pytestmark = pytest.mark.django_db


def test_anonymous_admin_login_redirects_to_the_product_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_posting_credentials_to_the_admin_login_creates_no_session(client):
    staff = factories.CoordinatorFactory(is_superuser=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_signed_in(client)
    assert not Session.objects.exists()


def test_anonymous_admin_index_goes_to_the_product_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"] or "/admin/login/" in response["Location"]
