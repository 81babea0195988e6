"""HTML views of notes: the note page, the composer (create, edit, drafts), publish and delete."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from haven.accounts.tests.factories import UserFactory
from haven.engagement import services as engagement_services
from haven.media import services as media_services
from haven.media.models import MediaImage
from haven.notes.models import MAX_IMAGES, Note, Visibility
from haven.notes.services import note_create
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, block, follow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def jpeg(size: tuple[int, int] = (120, 160), color: tuple[int, int, int] = (200, 80, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload_via_api(client: Client, data: bytes, name: str = "photo.jpg") -> dict[str, Any]:
    response = client.post("/api/v1/media/images", {"file": SimpleUploadedFile(name, data, "image/jpeg")})
    assert response.status_code == 201, response.content
    return response.json()


# ---------------------------------------------------------------------------------------------
# The note page


def test_note_page_renders_for_anonymous_member_and_owner() -> None:
    note = NoteFactory(images=3, title="Coffee walk", location_name="Wukang Road")
    url = reverse("notes:detail", args=[note.pk])
    for client in (Client(), logged_in(UserFactory()), logged_in(note.author)):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Coffee walk" in html
        assert 'class="carousel note-carousel"' in html
        assert html.count('class="carousel-slide"') == 3
        assert "Wukang Road" in html
        assert 'property="og:title"' in html


def test_note_page_shows_owner_menu_only_to_the_owner() -> None:
    note = NoteFactory()
    edit_url = reverse("notes:edit", args=[note.pk])
    assert edit_url not in Client().get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert (
        edit_url not in logged_in(UserFactory()).get(reverse("notes:detail", args=[note.pk])).content.decode()
    )
    owner_html = logged_in(note.author).get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert edit_url in owner_html
    assert reverse("notes:delete", args=[note.pk]) in owner_html


def test_note_page_marks_only_the_sanitized_body_safe() -> None:
    author = UserFactory()
    note = published_note(author, title="<script>alert(1)</script>", body="hello <b>there</b> #tea")
    html = Client().get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>there</b>" not in html
    assert reverse("feeds:topic", args=["tea"]) in html


def published_note(author: Any, **fields: Any) -> Note:
    """A note written through the service (so body_html is rendered and sanitized)."""
    image_id = fields.pop("image_id", None) or MediaImageFactory(owner=author).pk
    return note_create(author=author, image_ids=[image_id], alt_texts=["a cup"], publish=True, **fields)


@pytest.mark.parametrize(
    ("visibility", "draft"),
    [(Visibility.PRIVATE, False), (Visibility.FOLLOWERS, False), (Visibility.PUBLIC, True)],
)
def test_note_page_is_404_for_those_who_may_not_see_it(visibility: str, draft: bool) -> None:
    note = NoteFactory(visibility=visibility, draft=draft)
    url = reverse("notes:detail", args=[note.pk])
    assert Client().get(url).status_code == 404
    assert logged_in(UserFactory()).get(url).status_code == 404
    assert logged_in(note.author).get(url).status_code == 200


def test_note_page_followers_only_and_blocks() -> None:
    note = NoteFactory(visibility=Visibility.FOLLOWERS)
    fan, blocked = UserFactory(), UserFactory()
    follow(fan, note.author)
    url = reverse("notes:detail", args=[note.pk])
    html = logged_in(fan).get(url).content.decode()
    assert "Followers only" in html
    block(note.author, blocked)
    assert (
        logged_in(blocked).get(reverse("notes:detail", args=[NoteFactory(author=note.author).pk])).status_code
        == 404
    )


def test_note_page_missing_and_huge_ids_are_404() -> None:
    assert Client().get("/notes/999999/").status_code == 404
    assert Client().get("/notes/99999999999999999999999/").status_code == 404


def test_note_page_shows_processing_placeholder() -> None:
    note = NoteFactory(images=0)
    image = MediaImageFactory(
        owner=note.author, state=MediaImage.State.PROCESSING, grid_path="", detail_path=""
    )
    note.images.create(image=image, position=0)
    html = logged_in(note.author).get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "Processing image" in html


def test_note_page_query_count_does_not_grow_with_comments(django_assert_max_num_queries: Any) -> None:
    note = NoteFactory(images=4)
    viewer = UserFactory()
    for i in range(12):
        comment = engagement_services.comment_create(author=UserFactory(), note_id=note.pk, body=f"c{i}")
        engagement_services.comment_create(
            author=UserFactory(), note_id=note.pk, body="r", parent_id=comment.pk
        )
    client = logged_in(viewer)
    client.get(reverse("notes:detail", args=[note.pk]))  # warm caches (session, content types)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("notes:detail", args=[note.pk])).status_code == 200


# ---------------------------------------------------------------------------------------------
# The composer


def test_composer_requires_login() -> None:
    response = Client().get(reverse("notes:compose"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_composer_renders_with_the_upload_widget() -> None:
    html = logged_in(UserFactory()).get(reverse("notes:compose")).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp,image/heic"' in html
    assert "notes/composer.js" in html
    assert 'data-max-images="18"' in html


def test_composer_publishes_a_note_with_two_uploaded_images() -> None:
    author = UserFactory()
    client = logged_in(author)
    first = upload_via_api(client, jpeg(color=(10, 20, 30)))
    second = upload_via_api(client, jpeg(color=(200, 200, 30)))
    response = client.post(
        reverse("notes:compose"),
        {
            "title": "Two photos",
            "body": "Sunset #sky",
            "image_ids": [second["id"], first["id"]],
            "alt_texts": ["yellow", "dark"],
            "cover_index": "1",
            "visibility": "followers",
            "location_name": "The Bund",
            "action": "publish",
        },
    )
    note = Note.objects.get(author=author)
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:detail", args=[note.pk])
    assert note.status == Note.Status.PUBLISHED
    assert note.visibility == "followers"
    assert note.cover_index == 1
    images = list(note.images.order_by("position"))
    assert [i.image_id for i in images] == [second["id"], first["id"]]
    assert [i.alt_text for i in images] == ["yellow", "dark"]


def test_composer_saves_a_draft_and_lists_it() -> None:
    author = UserFactory()
    client = logged_in(author)
    response = client.post(
        reverse("notes:compose"), {"title": "Later", "body": "", "visibility": "public", "action": "draft"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:drafts")
    note = Note.objects.get(author=author)
    assert note.status == Note.Status.DRAFT
    html = client.get(reverse("notes:drafts")).content.decode()
    assert "Later" in html
    assert reverse("notes:publish", args=[note.pk]) in html


def test_composer_without_javascript_uploads_the_files_with_the_form() -> None:
    author = UserFactory()
    client = logged_in(author)
    response = client.post(
        reverse("notes:compose"),
        {
            "title": "No JS",
            "visibility": "public",
            "action": "publish",
            "files": [
                SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"),
                SimpleUploadedFile("b.jpg", jpeg(), "image/jpeg"),
            ],
        },
    )
    assert response.status_code == 302
    note = Note.objects.get(author=author)
    assert note.images.count() == 2


def test_composer_refuses_publishing_without_images_and_keeps_the_input() -> None:
    client = logged_in(UserFactory())
    response = client.post(
        reverse("notes:compose"),
        {"title": "Kept title", "body": "Kept body", "visibility": "public", "action": "publish"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Add at least one photo or a video to publish a note." in html
    assert 'value="Kept title"' in html
    assert "Kept body" in html
    assert not Note.objects.exists()


def test_composer_refused_form_keeps_the_uploaded_images() -> None:
    author = UserFactory()
    client = logged_in(author)
    image = upload_via_api(client, jpeg())
    response = client.post(
        reverse("notes:compose"),
        {"title": "x" * 101, "image_ids": [image["id"]], "alt_texts": ["kept alt"], "visibility": "public"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="image_ids" value="{image["id"]}"' in html
    assert 'value="kept alt"' in html


def test_composer_refuses_too_many_images() -> None:
    author = UserFactory()
    ids = [MediaImageFactory(owner=author).pk for _ in range(MAX_IMAGES + 1)]
    response = logged_in(author).post(
        reverse("notes:compose"), {"image_ids": ids, "visibility": "public", "action": "publish"}
    )
    assert response.status_code == 400
    assert "at most 18 images" in response.content.decode()
    assert not Note.objects.exists()


def test_composer_refuses_someone_elses_images() -> None:
    foreign = MediaImageFactory(owner=UserFactory())
    response = logged_in(UserFactory()).post(
        reverse("notes:compose"), {"image_ids": [foreign.pk], "visibility": "public", "action": "publish"}
    )
    assert response.status_code == 400
    assert "Some photos cannot be used." in response.content.decode()
    assert not Note.objects.exists()


def test_composer_refuses_unknown_visibility_and_bad_files() -> None:
    client = logged_in(UserFactory())
    response = client.post(reverse("notes:compose"), {"visibility": "everyone", "action": "draft"})
    assert response.status_code == 400
    response = client.post(
        reverse("notes:compose"),
        {"visibility": "public", "files": [SimpleUploadedFile("x.gif", b"GIF89a\x01\x00", "image/gif")]},
    )
    assert response.status_code in {400, 415}
    assert not Note.objects.exists()


# ---------------------------------------------------------------------------------------------
# Edit, publish, delete


def test_edit_is_for_the_author_only() -> None:
    note = NoteFactory()
    url = reverse("notes:edit", args=[note.pk])
    assert logged_in(UserFactory()).get(url).status_code == 404
    assert logged_in(UserFactory()).post(url, {"title": "hacked", "visibility": "public"}).status_code == 404
    assert Client().get(url).status_code == 302
    response = logged_in(note.author).get(url)
    assert response.status_code == 200
    assert f'value="{note.title}"' in response.content.decode()


def test_edit_updates_text_order_and_alt_texts() -> None:
    author = UserFactory()
    note = NoteFactory(author=author, images=2)
    ids = list(note.images.order_by("position").values_list("image_id", flat=True))
    response = logged_in(author).post(
        reverse("notes:edit", args=[note.pk]),
        {
            "title": "New title",
            "body": "New body #tag",
            "image_ids": [ids[1], ids[0]],
            "alt_texts": ["b", "a"],
            "cover_index": "0",
            "visibility": "private",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.title == "New title"
    assert note.visibility == "private"
    assert note.edited_at is not None
    assert list(note.images.order_by("position").values_list("image_id", "alt_text")) == [
        (ids[1], "b"),
        (ids[0], "a"),
    ]


def test_edit_publishes_a_draft_and_refuses_invalid_input() -> None:
    author = UserFactory()
    draft = NoteFactory(author=author, draft=True, images=0)
    client = logged_in(author)
    url = reverse("notes:edit", args=[draft.pk])
    response = client.post(url, {"title": "Still draft", "visibility": "public", "action": "publish"})
    assert response.status_code == 400
    assert "Add at least one photo" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Note.Status.DRAFT
    assert draft.title != "Still draft"  # the update was rolled back with the refused publish
    image = MediaImageFactory(owner=author)
    response = client.post(
        url, {"title": "Out", "image_ids": [image.pk], "visibility": "public", "action": "publish"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Note.Status.PUBLISHED


def test_publish_from_the_drafts_list() -> None:
    author = UserFactory()
    draft = NoteFactory(author=author, draft=True)
    assert logged_in(UserFactory()).post(reverse("notes:publish", args=[draft.pk])).status_code == 404
    response = logged_in(author).post(reverse("notes:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Note.Status.PUBLISHED
    assert logged_in(author).get(reverse("notes:publish", args=[draft.pk])).status_code == 405


def test_delete_confirms_and_is_for_the_author_only() -> None:
    note = NoteFactory()
    url = reverse("notes:delete", args=[note.pk])
    assert logged_in(UserFactory()).post(url).status_code == 404
    assert Note.objects.filter(pk=note.pk).exists()
    client = logged_in(note.author)
    assert "Delete this note?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()
    assert client.post(url).status_code == 404


def test_delete_over_htmx_redirects_with_a_header() -> None:
    note = NoteFactory(draft=True)
    response = logged_in(note.author).post(reverse("notes:delete", args=[note.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("notes:drafts")


def test_drafts_are_private_to_their_author() -> None:
    NoteFactory(draft=True, title="Secret plan")
    assert "Secret plan" not in logged_in(UserFactory()).get(reverse("notes:drafts")).content.decode()
    assert Client().get(reverse("notes:drafts")).status_code == 302


def test_real_pipeline_image_shows_on_the_note_page() -> None:
    author = UserFactory()
    image = media_services.image_upload(owner=author, file=jpeg())
    media_services.image_process(image_id=image.pk)
    note = published_note(author, title="Real", image_id=image.pk)
    html = Client().get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "-detail.webp" in html
    assert 'width="120" height="160"' in html
