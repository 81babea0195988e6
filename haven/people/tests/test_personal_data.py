"""People's personal data: export of handles, lists and their handles; erasure of all three."""

from __future__ import annotations

import pytest

from haven.core import personal_data
from haven.people.models import Contact, ContactList, FormerHandle
from haven.people.tests.factories import claim, contacts, member

pytestmark = pytest.mark.django_db


def _export(user: object) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for registration in personal_data.registrations():
        if registration.model._meta.app_label == "people" and registration.exporter is not None:
            out[registration.model._meta.model_name or ""] = list(registration.exporter(user))
    return out


def test_export_and_erase() -> None:
    me, other = member(), member()
    claim(me, "Anna.Cooks", discoverable=True)
    claim(other, "bob")
    contacts(me, ["bob", "carol"], notify=True)
    contacts(other, ["anna.cooks"])
    exported = _export(me)
    assert [(r["platform"], r["handle"], r["discoverable"]) for r in exported["formerhandle"]] == [
        ("tiktok", "Anna.Cooks", True)
    ]
    assert [(r["platform"], r["notify_on_join"]) for r in exported["contactlist"]] == [("tiktok", True)]
    assert [r["handle"] for r in exported["contact"]] == ["bob", "carol"]
    for registration in sorted(personal_data.registrations(), key=lambda r: r.order):
        if registration.model._meta.app_label == "people" and registration.eraser is not None:
            registration.eraser(me)
    assert not FormerHandle.objects.filter(user=me).exists()
    assert not ContactList.objects.filter(user=me).exists()
    assert not Contact.objects.filter(list__user=me).exists()
    # The other member's data is untouched.
    assert FormerHandle.objects.filter(user=other).count() == 1
    assert Contact.objects.filter(list__user=other).count() == 1


def test_every_people_model_is_registered() -> None:
    for model in (FormerHandle, ContactList, Contact):
        assert personal_data.registration_for(model) is not None
