"""Surge defences: new-account limits, sign-up velocity, surge mode, blocked domains, near-duplicate
clusters (one held case), clusters following their case, and the operators' dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone

from config.urls import urlpatterns as site
from haven.accounts import services as accounts
from haven.accounts.models import User
from haven.accounts.tests.factories import UserFactory
from haven.core import gates, reportables
from haven.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from haven.core.reportables import ModerationState
from haven.engagement import services as engagement
from haven.engagement.models import Comment
from haven.graph import services as graph
from haven.moderation import scoring, services, surge, surge_urls
from haven.moderation import urls as moderation_urls
from haven.moderation.models import (
    AuditEntry,
    Case,
    ClusterItem,
    ContentCluster,
    Sanction,
    SignupEvent,
    StaffRole,
    SurgeBand,
    SurgeFingerprint,
)
from haven.notes import services as notes
from haven.notes.models import Note
from haven.notes.tests.factories import MediaImageFactory, NoteFactory

pytestmark = pytest.mark.django_db

# The site's routes with the surge dashboard inside the "moderation" namespace (as moderation.urls
# includes it at /moderation/surge/), whether or not moderation.urls includes it yet.
_names = {getattr(p, "name", None) for p in moderation_urls.urlpatterns}
_moderation = [*moderation_urls.urlpatterns]
if "surge" not in _names and not any(getattr(p, "urlconf_name", None) is surge_urls for p in _moderation):
    _moderation.append(path("surge/", include(surge_urls.urlpatterns)))
urlpatterns: list[URLPattern | URLResolver] = [
    path("moderation/", include((_moderation, "moderation"))),
    *[p for p in site if getattr(p, "namespace", None) != "moderation"],
]

SCAM_EN = (
    "Double your Bitcoin in 24 hours! Send 0.1 BTC to our wallet and get 0.2 back, guaranteed. "
    "Limited offer, message me now"
)
SCAM_VARIANTS = [
    SCAM_EN,
    "🔥🔥 DOUBLE your bitcoin in 24 hours!!! Send 0.1 BTC to our wallet and get 0.2 back, guaranteed. "
    "Limited offer — message me now 💰",
    "Double   your Bitcoin in 48 hours! Send 0.5 BTC to our wallet and get 1.0 back, guaranteed. "
    "Limited offer, message me now!!",
    "double your bitcoin in 24 hours. send 0.1 btc to our wallet and get 0.2 back guaranteed. "
    "limited offer message me now 🚀",
]
LEGIT = [
    "We finally tried the little noodle place on the corner, the broth was rich and the staff were lovely.",
    "Three days of rain and my tomatoes are still alive. Sharing a photo of the first flower of the season!",
    "周末带孩子去了植物园，樱花开得正好，人也不算多，推荐大家早上去，光线特别好看。",
]


@pytest.fixture(autouse=True)
def _surge(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Surge defences registered as moderation's ready() does; classifiers quiet (surge under test)."""
    from haven.moderation import classifiers

    registered = surge.gate in gates.registered()
    surge.register_all()
    monkeypatch.setattr(classifiers, "score_text", lambda text, language=None: {})
    monkeypatch.setattr(classifiers, "thresholds", lambda: {})
    yield
    if not registered:
        gates.unregister_gate(surge.gate)


def _haven(settings: Any, **changes: Any) -> None:
    settings.HAVEN = settings.HAVEN.model_copy(update=changes)


def old_member(**kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    user.refresh_from_db()
    return user


def operator() -> User:
    user = old_member()
    StaffRole.objects.create(user=user, role=StaffRole.Role.OPERATOR, languages=["en", "zh"])
    return user


def publish(author: User, body: str, title: str = "") -> Note:
    return notes.note_create(
        author=author, title=title, body=body, image_ids=[MediaImageFactory(owner=author).pk]
    )


def comment(author: User, note: Note, body: str) -> Comment:
    made = engagement.comment_create(author=author, note_id=note.pk, body=body)
    scoring.score_content(kind="comment", pk=made.pk)
    made.refresh_from_db()
    return made


def states(items: list[Comment]) -> set[str]:
    """The moderation states of `items`, read again."""
    return set(Comment.objects.filter(pk__in=[i.pk for i in items]).values_list("moderation", flat=True))


@pytest.fixture
def host_note() -> Note:
    return NoteFactory(author=old_member(), title="Spring walk", body="Cherry blossoms by the river.")


# ----------------------------------------------------------------------------------------------
# Limits for new accounts


def test_new_accounts_are_limited_with_a_stable_code_and_old_accounts_are_not(settings: Any) -> None:
    _haven(settings, surge_new_notes_per_hour=2, surge_new_comments_per_hour=2, surge_new_follows_per_hour=1)
    new, old = UserFactory(), old_member()
    for _ in range(2):
        publish(new, "A note")
    with pytest.raises(RateLimited) as refused:
        publish(new, "One too many")
    assert refused.value.code == "new_account_limit"
    assert refused.value.details["limit"] == 2
    assert "2 notes an hour" in refused.value.message
    assert Note.objects.filter(author=new).count() == 2
    for _ in range(4):
        publish(old, "Old hands post freely")

    host = NoteFactory(author=old)
    for _ in range(2):
        engagement.comment_create(author=new, note_id=host.pk, body="hi")
    with pytest.raises(RateLimited) as refused:
        engagement.comment_create(author=new, note_id=host.pk, body="hi again")
    assert refused.value.code == "new_account_limit"

    graph.follow_create(follower=new, followee=old)
    with pytest.raises(RateLimited):
        graph.follow_create(follower=new, followee=UserFactory())
    graph.follow_create(follower=old, followee=new)


def test_the_default_limits_leave_ordinary_use_alone() -> None:
    new, other = UserFactory(), UserFactory()
    for i in range(5):
        publish(new, f"Day one, note {i}")
    host = NoteFactory(author=other)
    for i in range(20):
        engagement.comment_create(author=new, note_id=host.pk, body=f"comment {i}")
    for _ in range(20):
        graph.follow_create(follower=new, followee=UserFactory())


def test_tooling_is_exempt(settings: Any) -> None:
    _haven(settings, surge_new_notes_per_hour=1)
    new = UserFactory()
    with gates.exempt():
        for _ in range(3):
            publish(new, "seeded")
    assert Note.objects.filter(author=new).count() == 3


# ----------------------------------------------------------------------------------------------
# Sign-up velocity


def _signup(n: int, address: str, *, domain: str = "example.org") -> User:
    request = RequestFactory().post("/signup/", REMOTE_ADDR=address)
    return accounts.user_signup(
        username=f"velocity_{n}",
        email=f"velocity_{n}@{domain}",
        password="correct horse battery staple",
        request=request,
    )


def test_signups_are_limited_per_network(settings: Any) -> None:
    _haven(settings, surge_signups_per_network_per_hour=3, signup_rate_per_hour=100)
    for n in range(3):
        _signup(n, f"203.0.113.{10 + n}")
    with pytest.raises(RateLimited) as refused:
        _signup(3, "203.0.113.99")  # another address, the same /24
    assert refused.value.code == "signup_velocity"
    assert refused.value.details["scope"] == "network"
    _signup(4, "198.51.100.1")  # another network
    _signup(5, "2001:db8:1::1")
    assert not User.objects.filter(username="velocity_3").exists()
    assert SignupEvent.objects.filter(network="203.0.113.0/24").count() == 4
    assert SignupEvent.objects.filter(refused="network").count() == 1


def test_signups_are_limited_per_email_domain_and_big_providers_are_exempt(settings: Any) -> None:
    _haven(settings, surge_signups_per_domain_per_hour=2, signup_rate_per_hour=100)
    _signup(0, "192.0.2.1", domain="tiny-mail.example")
    _signup(1, "192.0.3.1", domain="TINY-mail.example")
    with pytest.raises(RateLimited) as refused:
        _signup(2, "192.0.4.1", domain="tiny-mail.example")
    assert refused.value.details["scope"] == "domain"
    for n in range(3, 7):
        _signup(n, f"192.0.{n + 10}.1", domain="gmail.com")
    _signup(7, "192.0.30.1", domain="mail.qq.com")  # subdomains of exempt providers too


def test_signups_without_a_request_are_not_counted(settings: Any) -> None:
    _haven(settings, surge_signups_per_domain_per_hour=1)
    for n in range(3):
        accounts.user_signup(
            username=f"script_{n}", email=f"s{n}@seed.example", password="correct horse battery"
        )
    assert not SignupEvent.objects.exists()


# ----------------------------------------------------------------------------------------------
# Surge mode


def test_surge_mode_tightens_every_limit_in_one_step_and_is_audited(settings: Any) -> None:
    _haven(settings, surge_new_notes_per_hour=8)
    op, member = operator(), UserFactory()
    normal = surge.limits()
    assert not normal.surge and not normal.hold_new_account_links
    with pytest.raises(NotFound):
        surge.surge_mode_set(operator=member, active=True)
    surge.surge_mode_set(operator=op, active=True, reason="spam wave")
    tight = surge.limits()
    assert tight.surge and tight.hold_new_account_links
    assert tight.notes_per_hour == 2 < normal.notes_per_hour
    assert tight.comments_per_hour < normal.comments_per_hour
    assert tight.follows_per_hour < normal.follows_per_hour
    assert tight.signups_per_network_per_hour < normal.signups_per_network_per_hour
    assert tight.signups_per_domain_per_hour < normal.signups_per_domain_per_hour
    assert tight.duplicate_accounts == 2 < normal.duplicate_accounts
    assert tight.new_account_days == 2 * normal.new_account_days
    entry = AuditEntry.objects.get(action="surge.mode")
    assert (
        entry.actor_id == op.pk and entry.detail["active"] is True and entry.detail["reason"] == "spam wave"
    )

    new = UserFactory()
    publish(new, "one")
    publish(new, "two")
    with pytest.raises(RateLimited):
        publish(new, "three")

    surge.surge_mode_set(operator=op, active=False)
    assert not surge.limits().surge
    assert AuditEntry.objects.filter(action="surge.mode").count() == 2


def test_surge_mode_holds_new_accounts_posts_with_links(host_note: Note) -> None:
    op = operator()
    surge.surge_mode_set(operator=op, active=True)
    new, old = UserFactory(), old_member()
    linked = comment(new, host_note, "My shop has the same lamp: lamps-for-you.shop/deal")
    plain = comment(new, host_note, "What a lovely walk, thanks for sharing it with us all!")
    wiki = comment(new, host_note, "More about the tree: https://en.wikipedia.org/wiki/Prunus")
    elder = comment(old, host_note, "My shop has the same lamp: lamps-for-you.shop/deal")
    assert linked.moderation == ModerationState.HELD
    assert plain.moderation == wiki.moderation == elder.moderation == ModerationState.OK
    case = Case.objects.get(target_kind="comment", target_id=linked.pk)
    assert case.source == Case.Source.SURGE and case.held


# ----------------------------------------------------------------------------------------------
# Blocked link domains


def test_a_blocked_domain_and_its_subdomains_hold_the_post(host_note: Note) -> None:
    op = operator()
    row = surge.blocked_domain_add(
        operator=op, domain="https://WWW.Scam-Coins.example/landing", reason="wallets"
    )
    assert row.domain == "scam-coins.example"
    assert AuditEntry.objects.filter(action="surge.block_domain").exists()
    old = old_member()
    direct = comment(old, host_note, "Free coins at scam-coins.example/claim")
    sub = comment(old, host_note, "Claim here: https://promo.scam-coins.example/x?ref=9")
    other = comment(old, host_note, "My blog is at notscam-coins.example/about")
    assert direct.moderation == sub.moderation == ModerationState.HELD
    assert other.moderation == ModerationState.OK
    cluster = ContentCluster.objects.get(rule=ContentCluster.Rule.BLOCKED_DOMAIN)
    assert cluster.domain == "scam-coins.example" and cluster.item_count == 2
    case = Case.objects.get(target_kind="cluster", target_id=cluster.pk)
    assert case.source == Case.Source.SURGE and case.held and case.reason.code == "scam"

    assert surge.blocked_domain_remove(operator=op, domain_id=row.pk)
    later = comment(old, host_note, "Free coins at scam-coins.example/claim again")
    assert later.moderation == ModerationState.OK


def test_a_note_with_a_blocked_link_is_held() -> None:
    surge.blocked_domain_add(operator=operator(), domain="bad.example")
    note = publish(old_member(), "Look at https://www.bad.example/offer", title="Offer")
    result = scoring.score_content(kind="note", pk=note.pk)
    note.refresh_from_db()
    assert result["decision"] == "hold" and result["source"] == "surge"
    assert note.moderation == ModerationState.HELD


# ----------------------------------------------------------------------------------------------
# Near-duplicates across new accounts


def test_near_duplicates_from_three_new_accounts_collapse_into_one_held_case(host_note: Note) -> None:
    spammers = [UserFactory() for _ in range(4)]
    first = comment(spammers[0], host_note, SCAM_VARIANTS[0])
    second = comment(spammers[1], host_note, SCAM_VARIANTS[1])
    assert first.moderation == second.moderation == ModerationState.OK  # two accounts: not yet
    assert not ContentCluster.objects.exists()
    third = comment(spammers[2], host_note, SCAM_VARIANTS[3])
    fourth = comment(spammers[3], host_note, SCAM_VARIANTS[1])
    for made in (first, second, third, fourth):
        made.refresh_from_db()
        assert made.moderation == ModerationState.HELD
    cluster = ContentCluster.objects.get()
    assert cluster.rule == ContentCluster.Rule.NEAR_DUPLICATE
    assert cluster.item_count == 4 and cluster.account_count == 4
    assert cluster.language == "en"
    cases = Case.objects.filter(state="open")
    assert cases.count() == 1  # one case for the group, none per post
    case = cases.get()
    assert case.target_kind == "cluster" and case.source == Case.Source.SURGE and case.held
    target = reportables.get("cluster").describe(cluster)  # type: ignore[union-attr]
    assert "Bitcoin" in target.text and target.author_id is None
    assert target.extra["accounts"] == 4


def test_different_legitimate_posts_from_new_accounts_are_left_alone(host_note: Note) -> None:
    made = [comment(UserFactory(), host_note, text) for text in LEGIT]
    assert all(m.moderation == ModerationState.OK for m in made)
    assert not ContentCluster.objects.exists() and not Case.objects.exists()
    assert SurgeFingerprint.objects.count() == 3


def test_short_common_phrases_are_no_evidence(host_note: Note) -> None:
    made = [comment(UserFactory(), host_note, "So pretty!! 😍") for _ in range(4)]
    assert all(m.moderation == ModerationState.OK for m in made)
    assert not ContentCluster.objects.exists()


def test_the_same_link_from_three_new_accounts_is_one_case(host_note: Note) -> None:
    texts = [
        "Look: cheap-pills.top/buy",
        "best price ever!!! https://cheap-pills.top/buy?src=2",
        "今天特价 cheap-pills.top/buy",
    ]
    made = [comment(UserFactory(), host_note, t) for t in texts]
    assert states(made) == {ModerationState.HELD}
    cluster = ContentCluster.objects.get()
    assert cluster.rule == ContentCluster.Rule.SAME_LINK and cluster.domain == "cheap-pills.top"


def test_old_accounts_and_one_account_repeating_itself_form_no_cluster(host_note: Note) -> None:
    for _ in range(3):
        comment(old_member(), host_note, SCAM_EN)
    spammer = UserFactory()
    for text in SCAM_VARIANTS[:3]:
        comment(spammer, host_note, text)
    assert not ContentCluster.objects.exists()


def test_a_post_joining_an_actioned_cluster_is_removed_and_a_dismissed_one_leaves_it_alone(
    host_note: Note,
) -> None:
    op = operator()
    made = [comment(UserFactory(), host_note, text) for text in SCAM_VARIANTS[:3]]
    case = Case.objects.get(target_kind="cluster")
    services.case_decide(moderator=op, case_id=case.pk, action="remove", reason="scam")
    for m in made:
        m.refresh_from_db()
        assert m.moderation == ModerationState.REMOVED
    late = comment(UserFactory(), host_note, SCAM_VARIANTS[3])
    assert late.moderation == ModerationState.REMOVED
    assert ClusterItem.objects.filter(item_kind="comment", item_pk=late.pk).exists()
    assert Case.objects.filter(target_kind="cluster").count() == 1
    assert AuditEntry.objects.filter(action="content.removed", target_id=late.pk).exists()

    # A group a moderator found harmless: released, and later posts are left alone.
    texts = [
        "Join our neighbourhood clean-up on Saturday at 9am by the old bridge, gloves and bags provided!",
        "Join our neighbourhood clean-up on Saturday at 9am by the old bridge — gloves and bags provided 🙌",
        "join our neighbourhood clean up on saturday at 9am by the old bridge, gloves and bags provided",
    ]
    group = [comment(UserFactory(), host_note, t) for t in texts]
    assert states(group) == {ModerationState.HELD}
    second = Case.objects.filter(target_kind="cluster", state="open").get()
    services.case_decide(moderator=op, case_id=second.pk, action="dismiss")
    for g in group:
        g.refresh_from_db()
        assert g.moderation == ModerationState.OK
    later = comment(UserFactory(), host_note, texts[0] + "!")
    assert later.moderation == ModerationState.OK


def test_a_post_joining_an_open_cluster_is_held_at_once(host_note: Note) -> None:
    for text in SCAM_VARIANTS[:3]:
        comment(UserFactory(), host_note, text)
    late = comment(UserFactory(), host_note, SCAM_VARIANTS[3])
    assert late.moderation == ModerationState.HELD
    assert ContentCluster.objects.get().item_count == 4
    assert Case.objects.count() == 1


def test_surge_mode_needs_two_accounts(host_note: Note) -> None:
    surge.surge_mode_set(operator=operator(), active=True)
    a = comment(UserFactory(), host_note, SCAM_VARIANTS[0])
    b = comment(UserFactory(), host_note, SCAM_VARIANTS[2])
    a.refresh_from_db()
    assert a.moderation == b.moderation == ModerationState.HELD


def test_chinese_near_duplicates_cluster_in_their_queue(host_note: Note) -> None:
    texts = [
        "加微信abc123领取免费礼品！限时优惠，名额有限，先到先得，快来私信我吧，错过就没有了",
        "加 微 信 xyz789 领取免费礼品🎁 限时优惠！名额有限，先到先得，快来私信我吧～错过就没有了",
        "加微信 qq555 领取免费礼品!!! 限时优惠, 名额有限, 先到先得, 快来私信我吧, 错过就没有了",
    ]
    made = [comment(UserFactory(), host_note, t) for t in texts]
    assert states(made) == {ModerationState.HELD}
    case = Case.objects.get()
    assert case.language == "zh"


def test_prune_forgets_old_fingerprints(host_note: Note) -> None:
    comment(UserFactory(), host_note, LEGIT[0])
    assert SurgeBand.objects.exists()
    result = surge.prune(now=timezone.now() + timedelta(hours=25))
    assert result["fingerprints"] == 1
    assert not SurgeBand.objects.exists() and not SurgeFingerprint.objects.exists()


# ----------------------------------------------------------------------------------------------
# Links


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("Check https://bit.ly/3xYz?ref=1 now!", ["bit.ly/3xYz"]),
        ("访问bit.ly/abc领取", ["bit.ly/abc"]),
        ("go to scam[.]top/win today", ["scam.top/win"]),
        ("WWW。SCAM。COM/a", ["scam.com/a"]),
        ("Ｆｕｌｌ．ｗｉｄｔｈ．ｃｏｍ", ["full.width.com"]),
        ("see www.Example.co.uk/page/ ok", ["example.co.uk/page"]),
        ("hxxps://evil.example.xyz/claim#x", ["evil.example.xyz/claim"]),
        ("mail me at john@gmail.com", []),
        ("node.js, file.py, e.g. and 3.14", []),
    ],
)
def test_links_are_found_in_member_text(text: str, targets: list[str]) -> None:
    assert [link.target for link in surge.extract_links(text)] == targets


def test_normalised_text_ignores_emoji_spacing_case_and_ids() -> None:
    a = surge.signature(SCAM_VARIANTS[0])
    b = surge.signature(SCAM_VARIANTS[1])
    c = surge.signature(LEGIT[0])
    assert a is not None and b is not None and c is not None
    assert surge.similarity(a, b) >= 0.9
    assert surge.similarity(a, c) < 0.2
    assert surge.signature("So pretty!! 😍") is None


# ----------------------------------------------------------------------------------------------
# The dashboard


def test_the_dashboard_renders_for_an_operator_and_is_missing_for_members(
    settings: Any, host_note: Note
) -> None:
    settings.ROOT_URLCONF = __name__
    op = operator()
    moderator = old_member()
    StaffRole.objects.create(user=moderator, role=StaffRole.Role.MODERATOR, languages=["en"])
    for text in SCAM_VARIANTS[:3]:
        comment(UserFactory(), host_note, text)
    _haven(settings, signup_rate_per_hour=100)
    _signup(1, "203.0.113.5", domain="fresh.example")

    client = Client()
    client.force_login(op)
    page = client.get("/moderation/surge/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-surge-mode="off"' in html and "203.0.113.0/24" in html and "fresh.example" in html
    assert "data-cluster=" in html and 'name="domain"' in html

    assert client.post("/moderation/surge/mode/", {"active": "on", "reason": "drill"}).status_code == 302
    assert surge.mode_active()
    assert client.post("/moderation/surge/domains/", {"domain": "junk.example"}).status_code == 302
    assert 'data-domain="junk.example"' in client.get("/moderation/surge/").content.decode()
    cluster = ContentCluster.objects.get()
    detail = client.get(f"/moderation/surge/clusters/{cluster.pk}/")
    assert detail.status_code == 200 and "Bitcoin" in detail.content.decode()

    client.force_login(moderator)
    read_only = client.get("/moderation/surge/")
    assert read_only.status_code == 200 and 'name="domain"' not in read_only.content.decode()
    assert client.post("/moderation/surge/mode/", {"active": "off"}).status_code == 404

    client.force_login(UserFactory())
    assert client.get("/moderation/surge/").status_code == 404
    assert client.get(f"/moderation/surge/clusters/{cluster.pk}/").status_code == 404
    assert client.post("/moderation/surge/domains/", {"domain": "x.example"}).status_code == 404


# ----------------------------------------------------------------------------------------------
# The services ask core.gates before they write


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []
        self.refuse: str | None = None

    def __call__(self, *, action: str, user: Any = None, request: Any = None, **facts: Any) -> None:
        self.calls.append((action, user, {"request": request, **facts}))
        if self.refuse == action:
            raise InvalidInput("refused", code="gate_refused")


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    gate = Recorder()
    gates.register_gate(gate)
    yield gate
    gates.unregister_gate(gate)


def test_services_ask_the_gates_before_they_write(recorder: Recorder) -> None:
    author, other = UserFactory(), UserFactory()
    image = MediaImageFactory(owner=author)
    draft = notes.note_create(author=author, title="Draft", image_ids=[image.pk], publish=False)
    assert recorder.calls == []  # drafts are not gated
    notes.note_publish(actor=author, note_id=draft.pk)
    note = notes.note_create(author=author, title="Tea", image_ids=[MediaImageFactory(owner=author).pk])
    comment_on = NoteFactory(author=other)
    engagement.comment_create(author=author, note_id=comment_on.pk, body="Nice tea")
    graph.follow_create(follower=author, followee=other)
    request = RequestFactory().post("/signup/", REMOTE_ADDR="198.51.100.7")
    accounts.user_signup(
        username="gated_one",
        email="gated@Example.ORG",
        password="correct horse battery staple",
        request=request,
    )
    actions = [(a, getattr(u, "pk", None)) for a, u, _facts in recorder.calls]
    assert actions == [
        ("note_publish", author.pk),
        ("note_publish", author.pk),
        ("comment_create", author.pk),
        ("follow", author.pk),
        ("signup", None),
    ]
    assert recorder.calls[2][2]["note_id"] == comment_on.pk
    assert recorder.calls[3][2]["followee_id"] == other.pk
    assert recorder.calls[4][2]["email_domain"] == "example.org"
    assert recorder.calls[4][2]["request"] is request
    assert note.pk


def test_a_refusal_leaves_nothing_written(recorder: Recorder) -> None:
    author, other = UserFactory(), UserFactory()
    note = NoteFactory(author=other)
    recorder.refuse = "comment_create"
    with pytest.raises(InvalidInput):
        engagement.comment_create(author=author, note_id=note.pk, body="blocked")
    assert note.comments.count() == 0
    recorder.refuse = "signup"
    with pytest.raises(InvalidInput):
        accounts.user_signup(username="nobody_here", email="n@example.org", password="correct horse battery")
    from haven.accounts.models import User

    assert not User.objects.filter(username="nobody_here").exists()


def test_a_cluster_decision_sanctions_every_account_and_one_appeal_splits_out_that_member(
    host_note: Note,
) -> None:
    op, second_moderator = operator(), operator()
    spammers = [UserFactory() for _ in range(3)]
    made = [comment(s, host_note, text) for s, text in zip(spammers, SCAM_VARIANTS[:3], strict=True)]
    case = Case.objects.get(target_kind="cluster")
    # Each author sees the hold in "Reports and decisions".
    from haven.moderation import access

    assert list(access.decisions_about(spammers[0])) == [case]
    services.case_decide(
        moderator=op, case_id=case.pk, version=case.version, action="suspend", reason="scam", suspend_days=7
    )
    assert states(made) == {ModerationState.REMOVED}
    for s in spammers:
        s.refresh_from_db()
        assert not s.is_active and s.suspended_until is not None
    assert Sanction.objects.filter(case=case, kind="suspend").count() == 3

    # One of them was caught by mistake and appeals: their post leaves the cluster with a case of its own.
    appeal = services.appeal_create(member=spammers[0], case_id=case.pk, text="I am a real person")
    own = appeal.case
    assert (own.target_kind, own.target_id, own.target_author_id) == ("comment", made[0].pk, spammers[0].pk)
    assert own.state == "appealed" and own.action == "suspend" and own.decided_by_id == op.pk
    assert not ClusterItem.objects.filter(item_kind="comment", item_pk=made[0].pk).exists()
    assert ContentCluster.objects.get(pk=case.target_id).account_count == 2
    assert list(access.decisions_about(spammers[0])) == [own]
    with pytest.raises(NotFound):  # the cluster's decision is no longer about them
        services.appeal_create(member=spammers[0], case_id=case.pk, text="again")
    with pytest.raises(Conflict):
        services.appeal_create(member=spammers[0], case_id=own.pk, text="again")

    services.appeal_decide(moderator=second_moderator, case_id=own.pk, outcome="overturned")
    made[0].refresh_from_db()
    spammers[0].refresh_from_db()
    assert made[0].moderation == ModerationState.OK and spammers[0].is_active
    assert states(made[1:]) == {ModerationState.REMOVED}  # the others stay removed and suspended
    spammers[1].refresh_from_db()
    assert not spammers[1].is_active
