"""HTML views of engagement: like/save toggles, comments and replies over htmx and plain POST, collections."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haven.engagement import services
from haven.engagement.models import Collection, Comment, CommentLike, NoteLike, Save
from haven.engagement.tests.factories import CollectionFactory, NoteFactory, SaveFactory, UserFactory, block
from haven.notes.models import Note, Visibility

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(note: Note) -> Note:
    return Note.objects.get(pk=note.pk)


# ---------------------------------------------------------------------------------------------
# Likes


def test_like_toggle_card_style_returns_the_card_button() -> None:
    note, member = NoteFactory(), UserFactory()
    client = logged_in(member)
    url = reverse("engagement:like_toggle", args=[note.pk])
    response = client.post(url, {"style": "card"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<button class="card-like"')
    assert 'aria-pressed="true"' in html
    assert 'hx-vals=\'{"style": "card"}\'' in html
    assert f'hx-post="{url}"' in html
    assert fresh(note).like_count == 1
    response = client.post(url, {"style": "card"}, **HTMX)
    assert 'aria-pressed="false"' in response.content.decode()
    assert fresh(note).like_count == 0


def test_like_toggle_bar_style_and_explicit_actions_are_idempotent() -> None:
    note, member = NoteFactory(), UserFactory()
    client = logged_in(member)
    url = reverse("engagement:like_toggle", args=[note.pk])
    for _ in range(2):
        response = client.post(url, {"style": "bar", "action": "like"}, **HTMX)
        assert response.status_code == 200
        assert 'class="like-form"' in response.content.decode()
    assert NoteLike.objects.filter(note=note, user=member).count() == 1
    assert fresh(note).like_count == 1
    client.post(url, {"style": "bar", "action": "unlike"}, **HTMX)
    client.post(url, {"style": "bar", "action": "unlike"}, **HTMX)
    assert fresh(note).like_count == 0


def test_like_toggle_without_htmx_redirects_back() -> None:
    note = NoteFactory()
    response = logged_in(UserFactory()).post(reverse("engagement:like_toggle", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:detail", args=[note.pk])


def test_like_toggle_anonymous_goes_to_login() -> None:
    note = NoteFactory()
    url = reverse("engagement:like_toggle", args=[note.pk])
    response = Client().post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = Client().post(url, {"style": "card"}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert not NoteLike.objects.exists()


def test_like_toggle_hidden_note_is_404_and_get_is_not_allowed() -> None:
    hidden = NoteFactory(visibility=Visibility.PRIVATE)
    client = logged_in(UserFactory())
    assert client.post(reverse("engagement:like_toggle", args=[hidden.pk]), **HTMX).status_code == 404
    assert client.get(reverse("engagement:like_toggle", args=[hidden.pk])).status_code == 405
    assert not NoteLike.objects.exists()


# ---------------------------------------------------------------------------------------------
# Saves and the collection picker


def test_save_toggle_saves_into_the_default_collection_then_unsaves() -> None:
    note, member = NoteFactory(), UserFactory()
    client = logged_in(member)
    url = reverse("engagement:save_toggle", args=[note.pk])
    response = client.post(url, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="save-{note.pk}"' in html
    assert 'aria-pressed="true"' in html
    save = Save.objects.get(user=member, note=note)
    assert save.collection.is_default
    client.post(url, **HTMX)
    assert not Save.objects.filter(user=member).exists()
    assert fresh(note).save_count == 0


def test_save_toggle_moves_between_collections_from_the_picker() -> None:
    note, member = NoteFactory(), UserFactory()
    board = CollectionFactory(owner=member, is_public=False)
    client = logged_in(member)
    url = reverse("engagement:save_toggle", args=[note.pk])
    client.post(url, **HTMX)
    response = client.post(url, {"collection_id": board.pk}, **HTMX)
    assert response.status_code == 200
    assert Save.objects.get(user=member, note=note).collection_id == board.pk
    assert fresh(note).save_count == 1
    client.post(url, {"collection_id": board.pk}, **HTMX)  # the current collection again: unsave
    assert not Save.objects.filter(user=member).exists()


def test_save_toggle_refuses_someone_elses_collection() -> None:
    note, member = NoteFactory(), UserFactory()
    foreign = CollectionFactory(owner=UserFactory())
    response = logged_in(member).post(
        reverse("engagement:save_toggle", args=[note.pk]), {"collection_id": foreign.pk}, **HTMX
    )
    assert response.status_code == 404
    assert not Save.objects.exists()


def test_save_toggle_anonymous_goes_to_login() -> None:
    note = NoteFactory()
    response = Client().post(reverse("engagement:save_toggle", args=[note.pk]), **HTMX)
    assert response.status_code == 204
    assert "HX-Redirect" in response


def test_new_collection_from_the_picker_saves_the_note_into_it() -> None:
    note, member = NoteFactory(), UserFactory()
    client = logged_in(member)
    response = client.post(
        reverse("engagement:collection_create"), {"name": "Tea houses", "save_note": note.pk}, **HTMX
    )
    assert response.status_code == 200
    assert "Tea houses" in response.content.decode()
    assert Save.objects.get(user=member, note=note).collection.name == "Tea houses"
    response = client.post(
        reverse("engagement:collection_create"), {"name": "tea HOUSES", "save_note": note.pk}, **HTMX
    )
    assert response.status_code == 409
    assert "already have a collection" in response.content.decode()
    assert response["HX-Reswap"] == "outerHTML"


# ---------------------------------------------------------------------------------------------
# Comments


def test_note_page_lists_comments_with_reply_previews() -> None:
    note = NoteFactory()
    top = services.comment_create(author=UserFactory(display_name="Ann"), note_id=note.pk, body="First!")
    for i in range(5):
        services.comment_create(author=UserFactory(), note_id=note.pk, body=f"reply {i}", parent_id=top.pk)
    html = Client().get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "First!" in html
    assert "reply 2" in html
    assert "reply 3" not in html
    assert "Show 2 more replies" in html
    assert reverse("engagement:replies", args=[top.pk]) in html


def test_more_replies_over_htmx_and_as_a_page() -> None:
    note = NoteFactory()
    top = services.comment_create(author=UserFactory(), note_id=note.pk, body="Top")
    for i in range(5):
        services.comment_create(author=UserFactory(), note_id=note.pk, body=f"reply {i}", parent_id=top.pk)
    url = reverse("engagement:replies", args=[top.pk])
    html = Client().get(url, **HTMX).content.decode()
    assert "reply 3" in html and "reply 4" in html
    assert "reply 0" not in html
    page = Client().get(url)
    assert page.status_code == 200
    assert "reply 0" in page.content.decode()


def test_comment_post_over_htmx_returns_the_comment_and_counts() -> None:
    note, member = NoteFactory(), UserFactory()
    response = logged_in(member).post(
        reverse("engagement:comment_create", args=[note.pk]), {"body": "Lovely <b>photos</b> #tea"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    comment = Comment.objects.get(note=note)
    assert f'id="c-{comment.pk}"' in html
    assert "<b>photos</b>" not in html
    assert 'id="comments-count" hx-swap-oob="true"' in html
    assert "1 comment" in html
    assert fresh(note).comment_count == 1


def test_comment_post_without_htmx_redirects_to_the_comment() -> None:
    note = NoteFactory()
    response = logged_in(UserFactory()).post(
        reverse("engagement:comment_create", args=[note.pk]), {"body": "Hi"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:detail", args=[note.pk]) + f"#c-{comment.pk}"


def test_reply_to_a_reply_joins_the_thread() -> None:
    note = NoteFactory()
    top = services.comment_create(author=UserFactory(), note_id=note.pk, body="Top")
    friend = UserFactory(display_name="Friend")
    reply = services.comment_create(author=friend, note_id=note.pk, body="Reply", parent_id=top.pk)
    response = logged_in(UserFactory()).post(
        reverse("engagement:comment_create", args=[note.pk]), {"body": "Answer", "parent": reply.pk}, **HTMX
    )
    assert response.status_code == 200
    answer = Comment.objects.get(body="Answer")
    assert answer.parent_id == top.pk
    assert answer.reply_to_id == friend.pk
    assert "Friend" in response.content.decode()


@pytest.mark.parametrize("body", ["", "   ", "x" * 1001])
def test_comment_post_refuses_empty_and_too_long_bodies(body: str) -> None:
    note = NoteFactory()
    client = logged_in(UserFactory())
    url = reverse("engagement:comment_create", args=[note.pk])
    response = client.post(url, {"body": body}, **HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toasts"
    response = client.post(url, {"body": body})
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_comment_post_anonymous_and_hidden_note() -> None:
    note = NoteFactory()
    response = Client().post(reverse("engagement:comment_create", args=[note.pk]), {"body": "hi"}, **HTMX)
    assert response.status_code == 204
    assert "HX-Redirect" in response
    hidden = NoteFactory(visibility=Visibility.PRIVATE)
    response = logged_in(UserFactory()).post(
        reverse("engagement:comment_create", args=[hidden.pk]), {"body": "hi"}, **HTMX
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_comments_sorting_and_paging() -> None:
    note = NoteFactory()
    liked = services.comment_create(author=UserFactory(), note_id=note.pk, body="Popular")
    for i in range(25):
        services.comment_create(author=UserFactory(), note_id=note.pk, body=f"c{i}")
    services.comment_like(user=UserFactory(), comment_id=liked.pk)
    url = reverse("engagement:comments", args=[note.pk])
    top = Client().get(url, {"sort": "top"}, **HTMX).content.decode()
    assert top.index("Popular") < top.index("c24")
    newest = Client().get(url, {"sort": "new"}, **HTMX).content.decode()
    assert "Popular" not in newest  # 20 newer comments fill the first page
    assert 'hx-trigger="intersect once"' in newest
    redirect = Client().get(url, {"sort": "top"})
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(reverse("notes:detail", args=[note.pk]) + "?sort=top")
    assert Client().get(url, {"cursor": "garbage"}, **HTMX).status_code == 200


def test_comments_of_blocked_members_are_hidden() -> None:
    note, viewer, troll = NoteFactory(), UserFactory(), UserFactory()
    services.comment_create(author=troll, note_id=note.pk, body="Troll comment")
    block(viewer, troll)
    html = logged_in(viewer).get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "Troll comment" not in html


def test_comment_delete_by_author_or_note_author_only() -> None:
    note = NoteFactory()
    writer, stranger = UserFactory(), UserFactory()
    comment = services.comment_create(author=writer, note_id=note.pk, body="Mine")
    url = reverse("engagement:comment_delete", args=[comment.pk])
    assert logged_in(stranger).post(url, **HTMX).status_code == 404
    html = logged_in(note.author).get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert url in html
    response = logged_in(writer).post(url, **HTMX)
    assert response.status_code == 200
    assert 'id="bar-comment-count" hx-swap-oob="true"' in response.content.decode()
    assert not Comment.objects.exists()
    other = services.comment_create(author=writer, note_id=note.pk, body="Again")
    response = logged_in(note.author).post(reverse("engagement:comment_delete", args=[other.pk]))
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_comment_like_toggle() -> None:
    note = NoteFactory()
    comment = services.comment_create(author=UserFactory(), note_id=note.pk, body="Nice")
    member = UserFactory()
    url = reverse("engagement:comment_like_toggle", args=[comment.pk])
    response = logged_in(member).post(url, **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert CommentLike.objects.filter(user=member).count() == 1
    logged_in(member).post(url, **HTMX)
    assert not CommentLike.objects.exists()
    assert Client().post(url, **HTMX).status_code == 204
    assert (
        logged_in(member).post(reverse("engagement:comment_like_toggle", args=[999999]), **HTMX).status_code
        == 404
    )


# ---------------------------------------------------------------------------------------------
# Collections


def test_collections_page_lists_my_collections_with_counts() -> None:
    member = UserFactory()
    board = CollectionFactory(owner=member, name="Ramen", is_public=False)
    for _ in range(5):
        SaveFactory(collection=board, note=NoteFactory())
    services.note_save(user=member, note_id=NoteFactory().pk)
    html = logged_in(member).get(reverse("engagement:collections")).content.decode()
    assert "Ramen" in html
    assert "5 notes" in html
    assert "Saved" in html
    assert html.count('class="mosaic mosaic-4"') == 1
    assert Client().get(reverse("engagement:collections")).status_code == 302


def test_collection_page_privacy() -> None:
    owner = UserFactory()
    private = CollectionFactory(owner=owner, is_public=False, name="Secret")
    public = CollectionFactory(owner=owner, is_public=True, name="Open")
    SaveFactory(collection=public, note=NoteFactory(title="Visible note"))
    SaveFactory(collection=public, note=NoteFactory(title="Hidden note", visibility=Visibility.PRIVATE))
    stranger, blocked = UserFactory(), UserFactory()
    block(owner, blocked)
    private_url = reverse("engagement:collection", args=[private.pk])
    assert Client().get(private_url).status_code == 404
    assert logged_in(stranger).get(private_url).status_code == 404
    assert logged_in(owner).get(private_url).status_code == 200
    public_url = reverse("engagement:collection", args=[public.pk])
    html = Client().get(public_url).content.decode()
    assert "Visible note" in html
    assert "Hidden note" not in html
    assert 'class="card"' in html
    assert logged_in(blocked).get(public_url).status_code == 404
    assert Client().get(reverse("engagement:collection", args=[999999])).status_code == 404


def test_collection_create_rename_toggle_and_delete() -> None:
    member = UserFactory()
    client = logged_in(member)
    response = client.post(reverse("engagement:collection_create"), {"name": "Hikes", "is_public": "on"})
    board = Collection.objects.get(owner=member, name="Hikes")
    assert response.status_code == 302
    assert board.is_public
    client.post(reverse("engagement:collection_update", args=[board.pk]), {"name": "Trails"})
    client.post(reverse("engagement:collection_update", args=[board.pk]), {"is_public": "0"})
    board.refresh_from_db()
    assert (board.name, board.is_public) == ("Trails", False)
    note = NoteFactory()
    services.note_save(user=member, note_id=note.pk, collection_id=board.pk)
    assert (
        logged_in(UserFactory()).post(reverse("engagement:collection_delete", args=[board.pk])).status_code
        == 404
    )
    response = client.post(reverse("engagement:collection_delete", args=[board.pk]))
    assert response.status_code == 302
    assert not Collection.objects.filter(pk=board.pk).exists()
    assert Save.objects.get(user=member, note=note).collection.is_default


def test_collection_create_refuses_bad_names() -> None:
    client = logged_in(UserFactory())
    response = client.post(reverse("engagement:collection_create"), {"name": ""})
    assert response.status_code == 302
    assert not Collection.objects.exists()
    response = client.post(reverse("engagement:collection_create"), {"name": "x" * 51})
    assert not Collection.objects.exists()


def test_default_collection_cannot_be_renamed_or_deleted() -> None:
    member = UserFactory()
    default = services.default_collection(user=member)
    client = logged_in(member)
    client.post(reverse("engagement:collection_update", args=[default.pk]), {"name": "Other"})
    client.post(reverse("engagement:collection_delete", args=[default.pk]))
    default.refresh_from_db()
    assert default.name == "Saved"


def test_collection_page_query_budget(django_assert_max_num_queries: Any) -> None:
    owner = UserFactory()
    board = CollectionFactory(owner=owner, is_public=True)
    for _ in range(20):
        SaveFactory(collection=board, note=NoteFactory(images=2))
    client = logged_in(UserFactory())
    client.get(reverse("engagement:collection", args=[board.pk]))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("engagement:collection", args=[board.pk])).status_code == 200
