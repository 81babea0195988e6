"""Members in the searchables registry (core.searchables): their names and bio, and who may find them.

Registered here rather than in accounts because who may find a member is a graph rule: search shows
a member whose profile the viewer may see (graph.access.can_view_profile: active, so not suspended or
gone, and no block either way), less members the viewer muted. Private accounts are found (their
header is public), their notes are not (the note rule).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy

from haven.accounts.models import User
from haven.accounts.selectors import avatar_url
from haven.core import searchables
from haven.graph import access
from haven.graph.models import Follow

MEMBER_CODE = 2
BIO_EXCERPT = 160


def member_documents(pks: Sequence[int]) -> dict[int, searchables.Document]:
    users = User.objects.filter(pk__in=list(pks)).only("pk", "username", "display_name", "bio")
    followers = dict(
        Follow.objects.filter(followee_id__in=list(pks))
        .order_by()
        .values("followee_id")
        .annotate(n=Count("id"))
        .values_list("followee_id", "n")
    )
    return {
        u.pk: searchables.Document(
            head=(u.username, u.username.replace("_", " "), u.display_name),
            body=(u.bio,),
            popularity=followers.get(u.pk, 0),
        )
        for u in users
    }


def member_ids() -> Iterator[int]:
    return User.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)


def visible_members_among(viewer: Any, pks: Sequence[int]) -> dict[int, User]:
    return {u.pk: u for u in access.findable_members(viewer).filter(pk__in=list(pks))}


def member_cards(viewer: Any, users: Sequence[Any]) -> dict[int, dict[str, Any]]:
    return {
        u.pk: {
            "id": u.pk,
            "username": u.username,
            "display_name": u.display_name,
            "avatar_url": avatar_url(u),
            "bio": u.bio[:BIO_EXCERPT],
            "is_private": u.is_private,
        }
        for u in users
    }


def register() -> None:
    searchables.register(
        searchables.Searchable(
            kind="member",
            code=MEMBER_CODE,
            label=gettext_lazy("People"),
            documents=member_documents,
            all_ids=member_ids,
            visible=visible_members_among,
            cards=member_cards,
            suggest=True,
            models=("accounts.User",),
        )
    )
