"""A member with activity in every app, beside other members, for export and erasure tests.

`build_world()` goes through the same services the product uses (and the HTTP API where a request
is part of the story: login, Idempotency-Key), so what it leaves behind is what real use leaves.
Each text the member writes carries a unique marker, so a scan can find any copy left anywhere.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone
from PIL import Image

from haven.accounts import services as accounts
from haven.accounts.models import User
from haven.engagement import services as engagement
from haven.feeds.models import SeenNote
from haven.graph import services as graph
from haven.media import services as media
from haven.messaging import services as messaging
from haven.notes import services as notes
from haven.notes.models import Note
from haven.translation import aids_services
from haven.translation import services as translation
from haven.translation.models import CachedTranslation

PASSWORD = "a long and unusual passphrase 42"


def jpeg_with_exif(color: tuple[int, int, int] = (200, 80, 60), artist: str = "Artist-Erin-Exif") -> bytes:
    """A small JPEG whose EXIF names the camera owner (it must never be served or kept in renditions)."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (320, 240), color)
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@dataclass
class World:
    member: User
    others: list[User]
    markers: list[str] = field(default_factory=list)
    member_notes: list[Note] = field(default_factory=list)
    others_notes: list[Note] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # storage names of the member's files
    content_hashes: list[str] = field(default_factory=list)

    @property
    def needles(self) -> list[str]:
        """Strings that must not survive erasure anywhere: identity and every text they wrote."""
        return [self.member.username, self.member.email, *self.markers]


def _note_with_image(author: User, *, title: str, body: str, visibility: str = "public") -> Note:
    image = media.image_upload(
        owner=author, file=io.BytesIO(jpeg_with_exif(artist=f"Artist-{author.username}"))
    )
    return notes.note_create(
        author=author, title=title, body=body, image_ids=[image.pk], visibility=visibility
    )


def build_world(*, username: str = "erin_zx", api_login: bool = True) -> World:
    member = accounts.user_signup(
        username=username,
        email=f"{username}.mailbox@example.org",
        password=PASSWORD,
        display_name="Erin Display-QX",
        languages=["en", "zh"],
    )
    bob = accounts.user_signup(
        username="bob_zx", email="bob_zx@example.org", password=PASSWORD, languages=["zh"]
    )
    cat = accounts.user_signup(
        username="cat_zx", email="cat_zx@example.org", password=PASSWORD, languages=["en"]
    )
    world = World(member=member, others=[bob, cat])
    world.markers += ["Erin Display-QX", "Bio-marker-QX about Erin"]
    accounts.profile_update(user=member, bio="Bio-marker-QX about Erin")
    accounts.avatar_set(user=member, file=io.BytesIO(jpeg_with_exif((10, 120, 200))))
    member.refresh_from_db()

    public = _note_with_image(member, title="Title-QX-public", body="Body-QX-public latte #coffeeqx @bob_zx")
    hidden = _note_with_image(
        member, title="Title-QX-private", body="Body-QX-private diary", visibility="private"
    )
    draft = notes.note_create(author=member, title="Title-QX-draft", body="Body-QX-draft", publish=False)
    world.member_notes += [public, hidden, draft]
    world.markers += [
        "Title-QX-public",
        "Body-QX-public",
        "Title-QX-private",
        "Body-QX-private",
        "Title-QX-draft",
        "Body-QX-draft",
    ]
    bobs = _note_with_image(bob, title="Bob's dumplings", body="饺子 recipe for @erin_zx and @cat_zx")
    cats = _note_with_image(cat, title="Cat's followers-only", body="only followers", visibility="followers")
    world.others_notes += [bobs, cats]

    # The graph, both ways.
    graph.follow_create(follower=member, followee=bob)
    graph.follow_create(follower=bob, followee=member)
    graph.follow_create(follower=member, followee=cat)
    graph.mute_create(muter=member, muted=cat)
    graph.block_create(blocker=cat, blocked=member)  # cat blocks erin: cat's private choice

    # Engagement, both ways.
    engagement.note_like(user=member, note_id=bobs.pk)
    engagement.note_like(user=bob, note_id=public.pk)
    mine_on_bobs = engagement.comment_create(author=member, note_id=bobs.pk, body="Comment-QX on Bob's note")
    bobs_on_mine = engagement.comment_create(author=bob, note_id=public.pk, body="Bob says hi to Erin")
    engagement.comment_create(
        author=member, note_id=public.pk, body="Reply-QX to Bob", parent_id=bobs_on_mine.pk
    )
    engagement.comment_like(user=bob, comment_id=mine_on_bobs.pk)
    engagement.comment_like(user=member, comment_id=bobs_on_mine.pk)
    collection = engagement.collection_create(owner=member, name="Collection-QX", is_public=True)
    engagement.note_save(user=member, note_id=bobs.pk, collection_id=collection.pk)
    engagement.note_save(user=bob, note_id=public.pk)
    world.markers += ["Comment-QX on Bob's note", "Reply-QX to Bob", "Collection-QX"]

    # Translation and the learner's aids.
    aids_services.vocabulary_add(user=member, word="饺子", note_id=bobs.pk, context="Vocab-QX context")
    aids_services.vocabulary_add(user=bob, word="latte", note_id=public.pk, context="Body-QX-public latte")
    aids_services.preference_update(user=member, auto_translate=True, show_pinyin=False)
    aids_services.note_translation_save(
        author=member, note_id=public.pk, language="zh-Hans", title="标题QX", body="正文QX拿铁"
    )
    world.markers += ["Vocab-QX context", "标题QX", "正文QX拿铁"]
    for text in ("Title-QX-public", "Body-QX-public latte #coffeeqx @bob_zx", "Comment-QX on Bob's note"):
        digest = translation.content_hash(text)
        world.content_hashes.append(digest)
        CachedTranslation.objects.create(
            content_hash=digest,
            source_lang="en",
            target_lang="zh-Hans",
            provider="test",
            sanitizer_version="1",
            text=f"译文 Xlate-QX {digest[:6]}",
        )
    world.markers.append("Xlate-QX")

    # Messages, both ways: a direct conversation with text, a photo and a reaction; a group Erin made.
    chat = messaging.direct_open(sender=member, recipient=bob)
    messaging.message_send(
        sender=member, conversation_id=chat.pk, body="Message-QX about the dumplings", client_id="cid-QX"
    )
    photo = media.image_upload(owner=member, file=io.BytesIO(jpeg_with_exif((10, 90, 10))))
    messaging.message_send(sender=member, conversation_id=chat.pk, image_id=photo.pk)
    answer = messaging.message_send(
        sender=bob, conversation_id=chat.pk, body="Bob answers in the chat"
    ).message
    messaging.reaction_set(user=member, message_id=answer.pk, emoji="👍")
    messaging.read_mark(user=member, conversation_id=chat.pk)
    messaging.settings_update(user=member, read_receipts=False)
    group = messaging.group_create(creator=member, title="Hikers", members=[bob])
    messaging.message_send(sender=member, conversation_id=group.pk, body="Group-message-QX see you at 9")
    world.markers += ["Message-QX about the dumplings", "Group-message-QX see you at 9", "cid-QX"]

    # Feeds: what each of them has seen.
    SeenNote.objects.get_or_create(user=member, note=bobs)
    SeenNote.objects.get_or_create(user=bob, note=public)

    # Through HTTP: a login (session, login history) and an idempotent note creation with a token.
    if api_login:
        client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Erin's phone) UA-QX")
        response = client.post(
            "/api/v1/accounts/token",
            data=json.dumps({"username_or_email": member.username, "password": PASSWORD, "name": "Token-QX"}),
            content_type="application/json",
        )
        assert response.status_code in (200, 201), response.content
        token = response.json()["token"]
        image = media.image_upload(owner=member, file=io.BytesIO(jpeg_with_exif((0, 0, 0))))
        created = client.post(
            "/api/v1/notes",
            data=json.dumps({"title": "Title-QX-api", "body": "Body-QX-api", "image_ids": [image.pk]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY="idem-key-erin-1",
        )
        assert created.status_code == 201, created.content
        world.member_notes.append(Note.objects.get(pk=created.json()["id"]))
        world.markers += ["Title-QX-api", "Body-QX-api", "UA-QX", "Token-QX"]
        browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (Erin's laptop) UA-QX")
        assert browser.post(
            "/accounts/login/", {"login": member.username, "password": PASSWORD}
        ).status_code in (200, 302)

    member.refresh_from_db()
    world.files = member_files(member)
    return world


def member_files(member: User) -> list[str]:
    """Storage names of every file of the member that exists now (originals, renditions, avatar)."""
    from haven.media.models import MediaImage

    names = [member.avatar] if member.avatar else []
    for image in MediaImage.objects.filter(owner=member):
        names += [n for n in (image.original_path, image.grid_path, image.detail_path) if n]
    return names


def now() -> Any:
    return timezone.now()
