"""HTML views of messaging: the conversation list, the chat, requests, groups and settings.

Every write is a form POST that redirects back (works without JavaScript); htmx and the chat client
(static/messaging/chat.js) get HTML fragments instead. Reads go through access and selectors, writes
through services; refusals (haven.core.errors) become a friendly message, never a 500.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.core import ratelimit
from haven.core.errors import Forbidden, HavenError, InvalidInput, NotFound
from haven.core.images import file_too_large
from haven.graph.access import visible_user_or_404
from haven.media import services as media_services
from haven.media.api import UPLOADS_PER_MINUTE
from haven.messaging import access, selectors, services
from haven.messaging.models import CLIENT_ID_MAX, Conversation, Message, MessagingSettings, Participant
from haven.messaging.translate import auto_translations, message_translate, reader_target
from haven.translation.aids_selectors import reader_languages
from haven.translation.selectors import needs_translation

#: Messages per page of the chat, and the most usernames one form may name.
PAGE = 40
USERNAMES_MAX = 20
USERNAME_RE = re.compile(r"[A-Za-z0-9_.\-]{1,30}")
#: Photo types the composer and the group photo offer (the media pipeline checks the bytes).
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"
#: Room for the multipart framing around one photo.
MULTIPART_SLACK = 64 * 1024
#: Recent conversations the share-to-chat picker offers.
SHARE_RECENT = 8
State = Participant.State


# -------------------------------------------------------------------------------------------------
# Helpers


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_fragment(request: HttpRequest) -> bool:
    """htmx, or the chat client's fetch: answer with a fragment instead of a redirect."""
    return _is_htmx(request) or request.headers.get("X-Requested-With") == "fetch"


def friendly(exc: HavenError) -> str:
    """What a member reads when a messaging action is refused."""
    if exc.code == "not_found" and exc.message == "not found":  # NotFound() without words
        return _("This conversation or message is no longer available.")
    if exc.code == "rate_limited":
        return _("You are sending too fast. Please wait a moment and try again.")
    if exc.code in {"translation_unavailable", "translation_not_allowed_by_author"}:
        return _("Translation isn't available for this language yet.")
    if exc.code == "translation_quota":
        return _("Too many translations right now. Please try again in a little while.")
    return exc.message


def _refused(request: HttpRequest, exc: HavenError, back: str) -> HttpResponse:
    """A refusal: plain text for fragments (chat.js shows it), a flash message and a redirect otherwise."""
    if _is_fragment(request):
        return HttpResponse(friendly(exc), status=exc.status, content_type="text/plain; charset=utf-8")
    flash.error(request, friendly(exc))
    return redirect(back)


def _chat_url(conversation_id: int, anchor: str = "") -> str:
    url = reverse("messaging:chat", args=[conversation_id])
    return f"{url}#{anchor}" if anchor else url


def _parse_usernames(raw: str) -> list[str]:
    names = [n.lstrip("@") for n in re.split(r"[\s,，、;]+", raw or "") if n.strip()]
    names = list(dict.fromkeys(names))
    if not names:
        raise InvalidInput(_("Name at least one member."), code="invalid_recipients")
    if len(names) > USERNAMES_MAX:
        raise InvalidInput(
            _("Name at most %(n)d members at once.") % {"n": USERNAMES_MAX}, code="too_many_members"
        )
    if any(not USERNAME_RE.fullmatch(n) for n in names):
        raise NotFound(_("No such member."), code="not_found")
    return names


def _members_named(viewer: User, raw: str) -> list[Any]:
    names = _parse_usernames(raw)
    people = []
    for name in names:
        try:
            people.append(visible_user_or_404(viewer, name))
        except NotFound:
            raise NotFound(_("There is no member called @%(name)s.") % {"name": name}) from None
    return people


def _uploaded_photo(request: HttpRequest, viewer: User, field: str = "photo") -> int | None:
    """The photo a form carries, uploaded through the media pipeline (haven.media.services.image_upload,
    the same as the notes composer and the media API): its image id, or None when there is none.
    Refusals are HavenErrors: 413 file_too_large, 415 unsupported type, 429, 400 bad_upload."""
    limit = settings.HAVEN.max_upload_bytes
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK:
        raise file_too_large(limit)
    try:
        files = request.FILES.getlist(field)
    except RequestDataTooBig:
        raise file_too_large(limit) from None
    except (MultiPartParserError, BadRequest, SuspiciousOperation):
        raise InvalidInput(_("The upload could not be read."), code="bad_upload") from None
    if not files:
        return None
    if len(files) > 1:
        raise InvalidInput(_("Send one photo at a time."), code="too_many_images")
    ratelimit.hit("media_upload", str(viewer.pk), limit=UPLOADS_PER_MINUTE, window_seconds=60)
    return int(media_services.image_upload(owner=viewer, file=files[0]).pk)


def _has_photo(request: HttpRequest, field: str = "photo") -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.startswith("multipart/"):
        return False
    try:
        return bool(request.FILES.get(field))
    except (MultiPartParserError, BadRequest, SuspiciousOperation, RequestDataTooBig):
        return True  # _uploaded_photo answers with the right refusal


def _group_member(viewer: User, conversation_id: int, username: str) -> Any:
    """A current member of the conversation, by username (NotFound otherwise)."""
    mine = access.participation_or_404(viewer, conversation_id)
    member = next(
        (p.user for p in selectors.conversation_members(mine) if p.user.username == username[:30]), None
    )
    if member is None:
        raise NotFound()
    return member


def new_client_id() -> str:
    """A fresh client message id for a composer (a double submitted form sends only once)."""
    return secrets.token_hex(12)


def _valid_client_id(raw: str | None) -> str | None:
    raw = (raw or "").strip()
    return raw[:CLIENT_ID_MAX] if raw else None


def _int(raw: Any) -> int | None:
    return access.parse_id(raw)


# -------------------------------------------------------------------------------------------------
# What the templates show


def _excerpt(entry: selectors.ConversationEntry, viewer_id: int) -> str:
    last = entry.last_message
    if last is None:
        return _("No messages yet")
    if last.kind == Message.Kind.SYSTEM:
        return system_text(last)
    if last.unsent_at is not None:
        return _("Message unsent")
    if last.moderation == "removed" or (last.moderation == "held" and last.sender_id != viewer_id):
        return _("Message removed")
    text = " ".join(last.body.split())[:90]
    if last.kind == Message.Kind.IMAGE:
        text = _("Photo")
    elif last.kind == Message.Kind.NOTE:
        text = _("Shared a note")
    elif last.kind == Message.Kind.MEMBER:
        text = _("Shared a profile")
    if last.sender_id == viewer_id:
        return _("You: %(text)s") % {"text": text}
    return text


def _name(user: Any) -> str:
    if user is None:
        return _("Someone")
    if isinstance(user, dict):
        return str(user.get("display_name") or user.get("username") or _("Someone"))
    return str(getattr(user, "display_name", "") or getattr(user, "username", "") or _("Someone"))


def system_text(message: Any) -> str:
    """The sentence of a system line ("Lin added Sam"), from a Message or a message payload."""
    if isinstance(message, dict):
        event = (message.get("system") or {}).get("event", "")
        actor = message.get("sender")
        member = (message.get("system") or {}).get("member")
    else:
        event, actor, member = message.system_event, message.sender, message.system_user
    names = {"actor": _name(actor), "member": _name(member)}
    texts = {
        "created": _("%(actor)s created the group"),
        "added": _("%(actor)s added %(member)s"),
        "removed": _("%(actor)s removed %(member)s"),
        "left": _("%(member)s left"),
        "renamed": _("%(actor)s renamed the group"),
        "photo": _("%(actor)s changed the group photo"),
    }
    return texts.get(event, _("The conversation changed")) % names


def _rows(entries: list[selectors.ConversationEntry], viewer: User, current: int | None = None) -> list[Any]:
    rows = []
    for entry in entries:
        p = entry.participation
        rows.append(
            {
                "id": entry.conversation.pk,
                "title": entry.title,
                "group": entry.conversation.kind == Conversation.Kind.GROUP,
                "photo_url": selectors.group_photo_url(entry.conversation),
                "members": entry.members[:2],
                "member_count": entry.member_count,
                "excerpt": _excerpt(entry, viewer.pk),
                "at": entry.conversation.last_message_at or entry.conversation.created_at,
                "unread": entry.unread if p.state == State.ACTIVE else 0,
                "unread_display": "99+" if entry.unread > 99 else str(entry.unread),
                "muted": p.muted,
                "pinned": p.pinned_at is not None,
                "request": p.state == State.REQUEST,
                "closed": entry.closed,
                "current": entry.conversation.pk == current,
            }
        )
    return rows


def _list_context(viewer: User, box: str, current: int | None = None) -> dict[str, Any]:
    entries, _next_offset = selectors.conversation_list(viewer, box=box, limit=50)
    summary = selectors.unread_summary(viewer)
    return {
        "box": box,
        "rows": _rows(entries, viewer, current),
        "request_count": summary["requests"],
    }


def _messages(
    request: HttpRequest,
    viewer: User,
    mine: Participant,
    rows: list[Message],
    *,
    translate_id: int | None = None,
    page_start: bool = False,
) -> list[dict[str, Any]]:
    """Message payloads with what the bubbles need: day breaks, runs by sender, allowed actions."""
    translations = auto_translations(viewer, mine, rows) if rows else {}
    wanted = translate_id if translate_id is not None and translate_id not in translations else None
    if wanted is not None and any(m.pk == wanted for m in rows):
        try:
            result = message_translate(viewer=viewer, message_id=wanted, target=reader_target(viewer))
        except HavenError as exc:
            flash.error(request, friendly(exc))
        else:
            if not result.not_needed:
                translations[wanted] = result.as_dict()
    items = selectors.message_payloads(viewer, rows, translations=translations)
    languages = reader_languages(viewer, viewer.interface_language)
    names = {i["sender"]["username"]: _name(i["sender"]) for i in items if i["sender"]}
    now = timezone.now()
    previous: dict[str, Any] | None = None
    for item in items:
        item["system_text"] = system_text(item) if item["kind"] == Message.Kind.SYSTEM else ""
        if item["reply_to"]:
            sender = item["reply_to"]["sender"] or ""
            item["reply_to"]["sender_name"] = names.get(sender, sender)
        item["day"] = timezone.localtime(item["created_at"]).date()
        item["day_break"] = page_start and (previous is None or previous["day"] != item["day"])
        same_run = (
            previous is not None
            and previous["kind"] != Message.Kind.SYSTEM
            and item["kind"] != Message.Kind.SYSTEM
            and (previous["sender"] or {}).get("username") == (item["sender"] or {}).get("username")
            and not item["day_break"]
        )
        item["run_start"] = not same_run
        item["can_unsend"] = (
            item["mine"]
            and item["state"] == "ok"
            and item["kind"] != Message.Kind.SYSTEM
            and now - item["created_at"] <= services.UNSEND_WINDOW - timedelta(seconds=30)
        )
        item["can_translate"] = bool(item["body"]) and not item["mine"]
        item["suggest_translate"] = item["can_translate"] and needs_translation(item["language"], languages)
        item["run_end"] = True
        if previous is not None and not item["run_start"]:
            previous["run_end"] = False
        previous = item
    return items


def _receipt(viewer: User, mine: Participant, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Who has seen the viewer's last own message (read receipts are mutual and may be off)."""
    last_own = next((m for m in reversed(items) if m["mine"] and m["kind"] != Message.Kind.SYSTEM), None)
    if last_own is None:
        return {"seq": 0, "names": []}
    read = selectors.read_state(mine)
    names = [r["username"] for r in read if r["seq"] >= last_own["seq"]]
    return {"seq": last_own["seq"] if names else 0, "names": names}


def _chat_context(
    request: HttpRequest,
    viewer: User,
    mine: Participant,
    *,
    before: int | None = None,
    translate_id: int | None = None,
) -> dict[str, Any]:
    detail = selectors.conversation_entries(viewer, [mine])[0]
    conversation = mine.conversation
    rows, more = selectors.messages_page(mine, before=before, limit=PAGE)
    items = _messages(request, viewer, mine, rows, translate_id=translate_id, page_start=True)
    is_group = conversation.kind == Conversation.Kind.GROUP
    other = None if is_group or not detail.members else detail.members[0]
    reply_to = None
    reply_id = _int(request.GET.get("reply"))
    if reply_id is not None:
        reply_to = next((m for m in items if m["id"] == reply_id and m["body"]), None)
    closed = detail.closed  # the viewer blocked the other member (the other way, it is gone)
    return {
        "entry": detail,
        "conversation": conversation,
        "mine": mine,
        "is_group": is_group,
        "other": other,
        "items": items,
        "has_older": more,
        "first_seq": rows[0].seq if rows else 0,
        "last_seq": rows[-1].seq if rows else 0,
        "older_page": before is not None,
        "is_request": mine.state == State.REQUEST,
        "closed": closed,
        "can_write": mine.state == State.ACTIVE and not closed,
        "is_admin": is_group and mine.role == Participant.Role.ADMIN,
        "photo_url": selectors.group_photo_url(conversation),
        "photo_types": PHOTO_TYPES,
        "receipt": _receipt(viewer, mine, items) if not before else {"seq": 0, "names": []},
        "client_id": new_client_id(),
        "reply_to": reply_to,
        "quick_reactions": services.QUICK_REACTIONS,
        "members_by_username": {m.username: _name(m) for m in detail.members},
        "body_max": 4000,
    }


# -------------------------------------------------------------------------------------------------
# The list


@login_required
@never_cache
@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    """Inbox (accepted conversations, pinned first) or Requests (from people you don't follow)."""
    viewer = _member(request)
    box = "requests" if request.GET.get("box") == "requests" else "inbox"
    context = {**_list_context(viewer, box), "nav_section": "messages"}
    if _is_htmx(request) and request.GET.get("fragment") == "list":
        return render(request, "messaging/_list.html", context)
    return render(request, "messaging/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Start a conversation: one member by username, or a group with a name and several members."""
    viewer = _member(request)
    context: dict[str, Any] = {
        "nav_section": "messages",
        "to": request.GET.get("to", "")[:30],
        "title": "",
        "usernames": "",
    }
    if request.method == "POST":
        kind = request.POST.get("kind", "direct")
        try:
            if kind == "group":
                context["title"] = request.POST.get("title", "")[:80]
                context["usernames"] = request.POST.get("usernames", "")[:1000]
                people = _members_named(viewer, context["usernames"])
                conversation = services.group_create(creator=viewer, title=context["title"], members=people)
            else:
                context["to"] = request.POST.get("username", "")[:100]
                names = _parse_usernames(context["to"])
                if len(names) != 1:
                    raise InvalidInput(
                        _("Name one member, or start a group for several."), code="invalid_recipients"
                    )
                recipient = _members_named(viewer, names[0])[0]
                conversation = services.direct_open(sender=viewer, recipient=recipient)
        except HavenError as exc:
            context["error"] = friendly(exc)
            context["error_kind"] = kind
            return render(request, "messaging/new.html", context, status=exc.status)
        return redirect(_chat_url(conversation.pk))
    return render(request, "messaging/new.html", context)


@login_required
@require_POST
def message_member(request: HttpRequest, username: str) -> HttpResponse:
    """The "Message" button of a profile: open (or create) the direct conversation."""
    viewer = _member(request)
    back = reverse("web:profile", args=[username[:30]])
    try:
        recipient = visible_user_or_404(viewer, username[:30])
        conversation = services.direct_open(sender=viewer, recipient=recipient)
    except HavenError as exc:
        if exc.status == 404:
            raise Http404(friendly(exc)) from None
        flash.error(request, friendly(exc))
        return redirect(back)
    return redirect(_chat_url(conversation.pk))


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """Who may message me, and read receipts."""
    viewer = _member(request)
    row = selectors.settings_of(viewer)
    status = 200
    if request.method == "POST":
        try:
            row = services.settings_update(
                user=viewer,
                who_can_message=request.POST.get("who_can_message", "")[:16] or None,
                read_receipts=request.POST.get("read_receipts") == "on",
            )
        except HavenError as exc:
            flash.error(request, friendly(exc))
            status = exc.status
        else:
            flash.success(request, _("Your message settings are saved."))
            return redirect("messaging:settings")
    context = {
        "row": row,
        "choices": MessagingSettings.WhoCanMessage.choices,
        "nav_section": "settings",
        "settings_tab": "messages",
    }
    return render(request, "messaging/settings.html", context, status=status)


# -------------------------------------------------------------------------------------------------
# The chat


def _participation(request: HttpRequest, conversation_id: int) -> Participant:
    try:
        return access.participation_or_404(request.user, conversation_id)
    except NotFound:
        raise Http404(_("This conversation is not available.")) from None


@login_required
@never_cache
@require_GET
def chat(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """One conversation: the newest messages (or older ones, `?before=<seq>`) and the composer.
    Showing the newest messages marks them read."""
    viewer = _member(request)
    mine = _participation(request, conversation_id)
    before = _int(request.GET.get("before"))
    context = _chat_context(request, viewer, mine, before=before, translate_id=_int(request.GET.get("tr")))
    context.update(
        _list_context(viewer, "requests" if mine.state == State.REQUEST else "inbox", mine.conversation_id)
    )
    context["nav_section"] = "messages"
    newest_unread = before is None and context["last_seq"] > mine.last_read_seq
    if newest_unread and mine.state == State.ACTIVE:
        services.read_mark(user=viewer, conversation_id=mine.conversation_id, seq=context["last_seq"])
    return render(request, "messaging/chat.html", context)


def _bubbles(
    request: HttpRequest, viewer: User, mine: Participant, rows: list[Message], *, more: bool = False
) -> HttpResponse:
    items = _messages(request, viewer, mine, rows)
    context = {
        "items": items,
        "conversation": mine.conversation,
        "is_group": mine.conversation.kind == Conversation.Kind.GROUP,
        "quick_reactions": services.QUICK_REACTIONS,
        "can_write": mine.state == State.ACTIVE,
        "receipt": {"seq": 0, "names": []},
    }
    response = render(request, "messaging/_bubbles.html", context)
    response["X-Has-More"] = "1" if more else "0"
    return response


@login_required
@never_cache
@require_GET
def after(request: HttpRequest, conversation_id: int, seq: int) -> HttpResponse:
    """The messages after `seq`, rendered (what chat.js appends when an event arrives or after a
    reconnect); they are marked read, as the chat is open."""
    viewer = _member(request)
    mine = _participation(request, conversation_id)
    if seq > access.MAX_ID:
        raise Http404
    rows, more = selectors.messages_page(mine, after=seq, limit=PAGE)
    if rows and mine.state == State.ACTIVE and rows[-1].seq > mine.last_read_seq:
        services.read_mark(user=viewer, conversation_id=mine.conversation_id, seq=rows[-1].seq)
    return _bubbles(request, viewer, mine, rows, more=more)


@login_required
@never_cache
@require_GET
def one(request: HttpRequest, conversation_id: int, seq: int) -> HttpResponse:
    """One message, rendered again (after it changed: unsent, reactions, moderation)."""
    viewer = _member(request)
    mine = _participation(request, conversation_id)
    if seq > access.MAX_ID:
        raise Http404
    rows, _more = selectors.messages_page(mine, after=max(0, seq - 1), limit=1)
    rows = [m for m in rows if m.seq == seq]
    return _bubbles(request, viewer, mine, rows)


@login_required
@never_cache
@require_GET
def older(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Older messages for "Load older" (htmx); without JS the chat page itself takes `?before=`."""
    before = _int(request.GET.get("before"))
    if not _is_htmx(request):
        url = reverse("messaging:chat", args=[conversation_id])
        return redirect(f"{url}?before={before}" if before else url)
    viewer = _member(request)
    mine = _participation(request, conversation_id)
    rows, more = selectors.messages_page(mine, before=before, limit=PAGE)
    items = _messages(request, viewer, mine, rows, page_start=True)
    context = {
        "items": items,
        "conversation": mine.conversation,
        "is_group": mine.conversation.kind == Conversation.Kind.GROUP,
        "quick_reactions": services.QUICK_REACTIONS,
        "has_older": more,
        "first_seq": rows[0].seq if rows else 0,
        "can_write": mine.state == State.ACTIVE,
        "receipt": {"seq": 0, "names": []},
    }
    return render(request, "messaging/_older.html", context)


@login_required
@require_POST
def send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Send from the composer: text, and optionally one photo (`photo`, uploaded through the media
    pipeline). The form carries a client message id (`client_id`, or the `Idempotency-Key` header
    from chat.js): a double submit stores one message."""
    viewer = _member(request)
    back = _chat_url(conversation_id)
    client_id = _valid_client_id(request.headers.get("Idempotency-Key") or request.POST.get("client_id"))
    try:
        image_id = None
        if _has_photo(request):
            access.participation_or_404(viewer, conversation_id)  # nothing is stored for a stranger
            image_id = _uploaded_photo(request, viewer)
        result = services.message_send(
            sender=viewer,
            conversation_id=conversation_id,
            body=request.POST.get("body", "")[:5000],
            client_id=client_id,
            reply_to_id=_int(request.POST.get("reply_to")),
            image_id=image_id,
        )
    except HavenError as exc:
        return _refused(request, exc, back)
    if _is_fragment(request):
        mine = _participation(request, conversation_id)
        since = _int(request.POST.get("after"))
        start = min(since if since is not None else result.message.seq - 1, result.message.seq - 1)
        rows, more = selectors.messages_page(mine, after=max(0, start), limit=PAGE)
        return _bubbles(request, viewer, mine, rows, more=more)
    return redirect(_chat_url(conversation_id, "composer"))


@login_required
@require_POST
def respond(request: HttpRequest, conversation_id: int, action: str) -> HttpResponse:
    """Accept or decline a request, leave, mute / unmute, pin / unpin, auto-translate on / off."""
    viewer = _member(request)
    back = _chat_url(conversation_id)
    target = back
    try:
        if action == "accept":
            services.request_accept(user=viewer, conversation_id=conversation_id)
        elif action == "decline":
            services.request_decline(user=viewer, conversation_id=conversation_id)
            flash.success(request, _("Request declined. They won't be told."))
            target = reverse("messaging:list") + "?box=requests"
        elif action == "leave":
            mine = access.participation_or_404(viewer, conversation_id)
            services.conversation_leave(user=viewer, conversation_id=conversation_id)
            if mine.conversation.kind == Conversation.Kind.GROUP:
                flash.success(request, _("You left the group."))
            target = reverse("messaging:list")
        elif action in {"mute", "unmute"}:
            services.participation_update(
                user=viewer, conversation_id=conversation_id, muted=action == "mute"
            )
        elif action in {"pin", "unpin"}:
            services.participation_update(
                user=viewer, conversation_id=conversation_id, pinned=action == "pin"
            )
        elif action in {"translate-on", "translate-off"}:
            services.participation_update(
                user=viewer, conversation_id=conversation_id, auto_translate=action == "translate-on"
            )
        else:
            raise Http404
    except HavenError as exc:
        return _refused(request, exc, back)
    nxt = request.POST.get("next", "")
    if nxt in {"list", "info"}:
        target = (
            reverse("messaging:list") if nxt == "list" else reverse("messaging:info", args=[conversation_id])
        )
    return redirect(target)


# -------------------------------------------------------------------------------------------------
# Groups


@login_required
@require_GET
def info(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """A conversation's details: members (add, remove, make admin for a group's admins), the group's
    name and photo (admins), mute, pin, leave."""
    viewer = _member(request)
    mine = _participation(request, conversation_id)
    detail = selectors.conversation_entries(viewer, [mine])[0]
    members = selectors.conversation_members(mine)
    context = {
        "entry": detail,
        "conversation": mine.conversation,
        "mine": mine,
        "is_group": mine.conversation.kind == Conversation.Kind.GROUP,
        "is_admin": mine.role == Participant.Role.ADMIN and mine.state == State.ACTIVE,
        "members": members,
        "other": detail.members[0] if detail.members else None,
        "photo_url": selectors.group_photo_url(mine.conversation),
        "photo_types": PHOTO_TYPES,
        "nav_section": "messages",
    }
    return render(request, "messaging/info.html", context)


@login_required
@require_POST
def members(request: HttpRequest, conversation_id: int, action: str) -> HttpResponse:
    """Add members, remove one, make one an admin or not, rename the group, change or remove its
    photo (admins; the services check it)."""
    viewer = _member(request)
    back = reverse("messaging:info", args=[conversation_id])
    try:
        if action == "add":
            people = _members_named(viewer, request.POST.get("usernames", "")[:1000])
            services.group_add(actor=viewer, conversation_id=conversation_id, members=people)
            flash.success(request, _("Added to the group."))
        elif action == "remove":
            member = _group_member(viewer, conversation_id, request.POST.get("username", ""))
            services.group_remove(actor=viewer, conversation_id=conversation_id, member=member)
            flash.success(request, _("Removed from the group."))
        elif action in {"admin", "unadmin"}:
            member = _group_member(viewer, conversation_id, request.POST.get("username", ""))
            services.group_set_admin(
                actor=viewer, conversation_id=conversation_id, member=member, admin=action == "admin"
            )
            if action == "admin":
                flash.success(request, _("%(name)s is now an admin.") % {"name": _name(member)})
            else:
                flash.success(request, _("%(name)s is no longer an admin.") % {"name": _name(member)})
        elif action == "rename":
            services.group_update(
                actor=viewer, conversation_id=conversation_id, title=request.POST.get("title", "")[:200]
            )
        elif action == "photo":
            mine = access.participation_or_404(viewer, conversation_id)
            if mine.role != Participant.Role.ADMIN or mine.state != State.ACTIVE:  # before storing a file
                raise Forbidden(_("Only the group's admins can do that."), code="not_group_admin")
            image_id = _uploaded_photo(request, viewer)
            if image_id is None:
                raise InvalidInput(_("Choose a photo first."), code="photo_required")
            services.group_update(actor=viewer, conversation_id=conversation_id, avatar_id=image_id)
            flash.success(request, _("The group photo is changed."))
        elif action == "photo-remove":
            services.group_update(actor=viewer, conversation_id=conversation_id, avatar_id=0)
            flash.success(request, _("The group photo is removed."))
        else:
            raise Http404
    except HavenError as exc:
        return _refused(request, exc, back)
    return redirect(back)


# -------------------------------------------------------------------------------------------------
# One message


def _message(request: HttpRequest, message_id: int) -> tuple[Participant, Message]:
    try:
        return access.message_or_404(request.user, message_id)
    except NotFound:
        raise Http404(_("This message is not available.")) from None


def _one_bubble(request: HttpRequest, viewer: User, mine: Participant, seq: int) -> HttpResponse:
    rows, _more = selectors.messages_page(mine, after=max(0, seq - 1), limit=1)
    return _bubbles(request, viewer, mine, [m for m in rows if m.seq == seq])


@login_required
@require_POST
def message_action(request: HttpRequest, message_id: int, action: str) -> HttpResponse:
    """Unsend (own, within the window), delete for me, react (a second tap on the same emoji
    removes it). htmx gets the bubble again (nothing, after delete for me)."""
    viewer = _member(request)
    mine, message = _message(request, message_id)
    back = _chat_url(mine.conversation_id, f"m-{message.seq}")
    try:
        if action == "unsend":
            services.message_unsend(user=viewer, message_id=message_id)
        elif action == "hide":
            services.message_hide(user=viewer, message_id=message_id)
            if _is_fragment(request):
                return HttpResponse("")
            back = _chat_url(mine.conversation_id)
        elif action == "react":
            emoji = request.POST.get("emoji", "")[:32]
            if request.POST.get("remove") == "1":
                services.reaction_remove(user=viewer, message_id=message_id)
            else:
                services.reaction_set(user=viewer, message_id=message_id, emoji=emoji)
        else:
            raise Http404
    except HavenError as exc:
        return _refused(request, exc, back)
    if _is_fragment(request):
        return _one_bubble(request, viewer, mine, message.seq)
    return redirect(back)


@login_required
@require_GET
def translate(request: HttpRequest, message_id: int) -> HttpResponse:
    """A message's translation into the reader's language, under the original (htmx), or the
    original again (`?mode=original`). Without JS, the chat page shows it (`?tr=<id>`)."""
    viewer = _member(request)
    mine, message = _message(request, message_id)
    original = request.GET.get("mode") == "original"
    if not _is_htmx(request):
        url = reverse("messaging:chat", args=[mine.conversation_id])
        return redirect(f"{url}#m-{message.seq}" if original else f"{url}?tr={message.pk}#m-{message.seq}")
    context: dict[str, Any] = {
        "message_id": message.pk,
        "translation": None,
        "error": "",
        "show_button": True,
    }
    if not original:
        try:
            result = message_translate(viewer=viewer, message_id=message_id, target=reader_target(viewer))
        except HavenError as exc:
            context["error"] = friendly(exc)
        else:
            if result.not_needed:
                context["error"] = _("This message is already in your language.")
            else:
                context["translation"] = result.as_dict()
    return render(request, "messaging/_translation.html", context)


# -------------------------------------------------------------------------------------------------
# Sharing a note to a chat


def _share_context(
    viewer: User, card: dict[str, Any], *, body: str = "", to: str = "", error: str = ""
) -> dict[str, Any]:
    entries, _next_offset = selectors.conversation_list(viewer, box="inbox", limit=SHARE_RECENT)
    return {
        "note": card,
        "rows": _rows(entries, viewer),
        "body": body,
        "to": to,
        "error": error,
        "sent": None,
        "client_id": new_client_id(),
        "body_max": 4000,
        "nav_section": "messages",
    }


@login_required
@require_http_methods(["GET", "POST"])
def share_note(request: HttpRequest, note_id: int) -> HttpResponse:
    """Send a note to a chat: one of the member's recent conversations (`conversation`), or a member
    by username (`conversation=new`, `username`), with an optional message. The note goes as a card
    that each reader's visibility is checked against when it is read. Without JS the answer is the
    note page again with "Sent"; htmx gets the picker back, marked sent, to send it somewhere else."""
    viewer = _member(request)
    try:
        card = selectors.note_card(viewer, note_id)
    except NotFound:
        raise Http404(_("This note is not available.")) from None
    if card["draft"]:
        raise Http404(_("This note is not available."))
    template = "messaging/_share_picker.html" if _is_htmx(request) else "messaging/share.html"
    if request.method == "GET":
        return render(request, template, _share_context(viewer, card))
    body = request.POST.get("body", "")[:5000]
    to = request.POST.get("username", "")[:100]
    target = request.POST.get("conversation", "")[:24]
    client_id = _valid_client_id(request.POST.get("client_id"))
    try:
        if target == "new":
            names = _parse_usernames(to)
            if len(names) != 1:
                raise InvalidInput(_("Name one member."), code="invalid_recipients")
            recipient = _members_named(viewer, names[0])[0]
            conversation_id = services.direct_open(sender=viewer, recipient=recipient).pk
            name = _name(recipient)
        else:
            picked = _int(target)
            if picked is None:
                raise InvalidInput(_("Choose a conversation."), code="invalid_conversation")
            conversation_id, name = picked, ""
        services.message_send(
            sender=viewer,
            conversation_id=conversation_id,
            body=body,
            client_id=client_id,
            shared_note_id=card["id"],
        )
    except HavenError as exc:
        context = _share_context(viewer, card, body=body, to=to, error=friendly(exc))
        response = render(request, template, context, status=exc.status)
        if _is_htmx(request):
            response["HX-Reswap"] = "outerHTML"  # chat.js lets htmx swap this 4xx answer in
        return response
    context = _share_context(viewer, card)
    row = next((r for r in context["rows"] if r["id"] == conversation_id), None)
    name = row["title"] if row is not None else name
    sent = _("Sent to %(name)s.") % {"name": name} if name else _("Sent.")
    if not _is_htmx(request):
        flash.success(request, sent)
        return redirect("notes:detail", note_id=card["id"])
    context["sent"] = {"id": conversation_id, "text": sent}
    return render(request, template, context)
