"""A member chooses where their media are stored at sign-up, where the operator offers a choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import User
from haven.accounts.tests.test_views import _signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions(settings: Any, tmp_path: Path) -> None:
    settings.STORAGE_REGIONS = {"eu": str(tmp_path / "eu")}


def test_no_choice_when_the_operator_offers_one_region(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="data_region"' not in page
    assert client.post("/accounts/signup/", _signup_data()).status_code == 302
    assert User.objects.get(username="newbie").data_region == "default"


@pytest.mark.usefixtures("two_regions")
def test_the_form_offers_the_regions_and_keeps_the_choice(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="data_region"' in page and "European Union" in page
    assert client.post("/accounts/signup/", _signup_data(data_region="eu")).status_code == 302
    assert User.objects.get(username="newbie").data_region == "eu"


@pytest.mark.usefixtures("two_regions")
def test_the_api_keeps_the_choice_and_refuses_an_unknown_region(client: Client) -> None:
    body = {"username": "apinew", "email": "apinew@example.com", "password": "a sturdy passphrase 9"}
    bad = client.post(
        "/api/v1/accounts/signup", {**body, "data_region": "mars"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_region"
    assert not User.objects.filter(username="apinew").exists()
    good = client.post(
        "/api/v1/accounts/signup", {**body, "data_region": "eu"}, content_type="application/json"
    )
    assert good.status_code == 201
    assert User.objects.get(username="apinew").data_region == "eu"
