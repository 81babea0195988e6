"""Surge drill: 1,000 new accounts sign up within 10 simulated minutes, 5 % of them spammers.

    .venv/bin/python -m bench.surge_drill [--data ../shared/data/moderation] [--accounts 1000]
        [--spam-share 0.05] [--seed 7] [--json bench/out/surge-drill.json]

Each mode (normal, then surge mode) runs in its own process on a fresh SQLite database in a temporary
folder, with the same seed: the same people sign up from the same networks and e-mail domains and
post the same texts. Sign-ups go through accounts.user_signup with a request (so the velocity gate
counts them per /24 network and per e-mail domain); every account then publishes 1-3 notes or
comments through the real services; moderation scores each one after commit in the (immediate) task
backend: scoring.score_content, with the surge checks and the text classifiers (when their artifacts
are present; the drill says when they are not). CPU time of scoring is measured per post with
time.process_time.

Legitimate text comes from the shared data folder: non-offensive tweets (tweeteval-offensive val,
label 0), ham SMS (sms-spam) and non-offensive Chinese comments (COLD dev, label 0) -- the tweet and
COLD splits the classifiers never trained on; a small built-in pool stands in when the folder is
missing. Spammers run three campaigns: an English crypto scam with one
shortened link, a Chinese "add me on WeChat" text without a link (each account its own id), and a
bilingual prize link; every post varies emoji, spacing, case, punctuation, amounts and a word or two.

Printed (and written as JSON): spam accounts stopped (refused at sign-up, or every post held) out of
all spam accounts, spam posts held, legitimate posts held by mistake (count and rate) and legitimate
sign-ups refused, cases opened and open queue sizes by language, clusters found, CPU ms per post.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "moderation"
PASSWORD = "surge-drill-password-1"  # noqa: S105 - throwaway accounts in a throwaway database

# ---------------------------------------------------------------------------------------------
# Text


FALLBACK_EN = [
    "Finally tried the new ramen place downtown, the broth was so rich and the staff were lovely.",
    "My balcony tomatoes survived the storm! Sharing the first ripe one of the season.",
    "Does anyone know a good bakery near the river? Looking for proper sourdough.",
    "Hiked the coastal trail this morning, the fog lifted right when we reached the top.",
    "Tried making dumplings from scratch with my grandma's recipe, messy but delicious.",
    "This light in the late afternoon is everything. Sitting by the window with tea.",
]
FALLBACK_ZH = [
    "周末去了趟植物园，樱花开得正好，推荐大家早上去，人少光线也好。",
    "第一次自己做蛋挞，外皮有点焦但是味道还不错，下次少烤两分钟。",
    "今天下班路上看到超美的晚霞，拍了好多张，分享给大家。",
    "求推荐适合新手的登山路线，最好是周末一天能来回的。",
    "楼下新开的咖啡店拿铁很好喝，环境也安静，适合带电脑工作。",
    "雨后的小巷特别有味道，石板路亮晶晶的。",
]
LEGIT_LINKS = [
    "https://www.youtube.com/watch?v={id}",
    "https://en.wikipedia.org/wiki/{word}",
    "https://www.bbc.co.uk/news/articles/{id}",
    "https://{word}-notes.blog/{id}",
    "https://www.etsy.com/listing/{num}/{word}",
    "https://github.com/{word}/{word}-tools",
]
LINK_INTROS_EN = ["More here:", "I wrote about it:", "Found this:", "Recipe:", "Source:"]
LINK_INTROS_ZH = ["详情看这里：", "我写了篇笔记：", "参考：", "链接：", "原文："]

EMOJI = ["🔥", "💰", "🚀", "✅", "💯", "🎁", "⚡", "🤑", "👉", "‼️", ""]
CRYPTO = [
    "Double your {coin} in {hours} hours! Send {a} {sym} to our wallet and get {b} back, {sure}. "
    "Limited offer, {act} now {link}",
]
CRYPTO_SWAPS = {
    "Double": ["Double", "DOUBLE", "Triple", "Double"],
    "{sure}": ["guaranteed", "100% guaranteed", "no risk", "guaranteed"],
    "{act}": ["message me", "DM me", "join", "click"],
}
WECHAT = "{hi}加微信{wx}领取免费{gift}！限时优惠，名额有限，先到先得，{act}，错过就没有了{emo}"
PRIZE_EN = "{emo} Congratulations! You have been selected for a {prize}. Claim it before {when}: {link}"
PRIZE_ZH = "{emo}恭喜您获得{prize}！请在{when}前领取：{link}"


def _vary_spacing(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return text.replace(" ", "  ")
    if roll < 0.35:
        return text.lower()
    if roll < 0.45:
        return text.replace("!", "!!!").replace("，", ", ")
    if roll < 0.55 and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return " ".join(text[:12]) + text[12:]  # 加 微 信 ...
    return text


def crypto_post(rng: random.Random, link: str) -> str:
    text = CRYPTO[0]
    text = text.replace("Double", rng.choice(CRYPTO_SWAPS["Double"]))
    text = text.replace("{sure}", rng.choice(CRYPTO_SWAPS["{sure}"]))
    text = text.replace("{act}", rng.choice(CRYPTO_SWAPS["{act}"]))
    coin, sym = rng.choice([("Bitcoin", "BTC"), ("Bitcoin", "BTC"), ("ETH", "ETH"), ("USDT", "USDT")])
    a = rng.choice(["0.1", "0.5", "1", "0.05"])
    b = str(round(float(a) * 2, 2))
    text = text.format(coin=coin, hours=rng.choice([24, 24, 48, 12]), a=a, sym=sym, b=b, link=link)
    return _vary_spacing(f"{rng.choice(EMOJI)}{rng.choice(EMOJI)} {text} {rng.choice(EMOJI)}", rng)


def wechat_post(rng: random.Random, wx: str) -> str:
    text = WECHAT.format(
        hi=rng.choice(["", "姐妹们，", "宝子们！", "【福利】"]),
        wx=wx,
        gift=rng.choice(["礼品", "礼品", "好礼", "面膜", "试用装"]),
        act=rng.choice(["快来私信我吧", "快来私信我", "速度私信", "快来私信我吧"]),
        emo=rng.choice(EMOJI),
    )
    return _vary_spacing(text, rng)


def prize_post(rng: random.Random, link: str) -> str:
    if rng.random() < 0.5:
        text = PRIZE_EN.format(
            emo=rng.choice(EMOJI),
            prize=rng.choice(["free iPhone 15", "$500 gift card", "free iPhone 15 Pro"]),
            when=rng.choice(["midnight", "Friday", "tonight"]),
            link=link,
        )
    else:
        text = PRIZE_ZH.format(
            emo=rng.choice(EMOJI),
            prize=rng.choice(["iPhone 15一台", "500元购物卡", "免费旅游名额"]),
            when=rng.choice(["今晚12点", "周五", "明天"]),
            link=link,
        )
    return _vary_spacing(text, rng)


def load_texts(data: Path, rng: random.Random) -> tuple[list[str], list[str], str]:
    """(English lines, Chinese lines, where they came from)."""
    en: list[str] = []
    zh: list[str] = []
    sources = []
    tweets, labels = (
        data / "tweeteval-offensive" / "val_text.txt",
        data / "tweeteval-offensive" / "val_labels.txt",
    )
    if tweets.is_file() and labels.is_file():
        pairs = zip(
            tweets.read_text("utf-8").splitlines(), labels.read_text("utf-8").splitlines(), strict=False
        )
        found = [
            " ".join(t.replace("@user", "").replace("URL", "").split())
            for t, lab in pairs
            if lab.strip() == "0"
        ]
        en += [t for t in found if 15 <= len(t) <= 280]
        sources.append(f"tweeteval-offensive val, label 0 ({len(en)})")
    sms = data / "sms-spam" / "SMSSpamCollection"
    if sms.is_file():
        ham = [
            line.split("\t", 1)[1].strip()
            for line in sms.read_text("utf-8", errors="replace").splitlines()
            if line.startswith("ham\t")
        ]
        ham = [h for h in ham if 15 <= len(h) <= 280]
        en += ham
        sources.append(f"sms-spam ham ({len(ham)})")
    cold = data / "cold" / "dev.csv"
    if cold.is_file():
        with cold.open(encoding="utf-8-sig", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if (r.get("label") or "").strip() == "0"]
        zh += [r["TEXT"].strip() for r in rows if 8 <= len((r.get("TEXT") or "").strip()) <= 280]
        sources.append(f"COLD dev, label 0 ({len(zh)})")
    if not en:
        en = list(FALLBACK_EN)
        sources.append("built-in English")
    if not zh:
        zh = list(FALLBACK_ZH)
        sources.append("built-in Chinese")
    rng.shuffle(en)
    rng.shuffle(zh)
    return en, zh, ", ".join(sources)


# ---------------------------------------------------------------------------------------------
# The population


@dataclass
class Account:
    n: int
    spam: bool
    campaign: str
    language: str
    address: str
    domain: str
    at: float  # simulated seconds after the start
    posts: list[tuple[str, str]] = field(default_factory=list)  # (kind "note"|"comment", text)


def _ip(net: str, rng: random.Random) -> str:
    return f"{net}.{rng.randint(2, 254)}"


def build_population(args: argparse.Namespace, en: list[str], zh: list[str]) -> list[Account]:
    rng = random.Random(args.seed)
    total = args.accounts
    spam_n = round(total * args.spam_share)
    carriers = [f"{rng.randint(100, 120)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}" for _ in range(14)]
    campuses = [f"{rng.randint(128, 160)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}" for _ in range(10)]
    datacenters = [f"{rng.randint(185, 195)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}" for _ in range(3)]
    big = ["gmail.com"] * 35 + ["outlook.com"] * 7 + ["hotmail.com"] * 3 + ["qq.com"] * 15 + ["163.com"] * 10
    big += ["icloud.com"] * 5 + ["yahoo.com"] * 3
    small = [
        f"{w}.example"
        for w in (
            "uni-north",
            "city-college",
            "acme-corp",
            "studio-lumen",
            "fastmail-ish",
            "riverside-school",
            "bluebird-mail",
            "kitchen-co",
            "photo-club",
            "dao-lab",
        )
    ]
    en_i = zh_i = 0
    accounts: list[Account] = []
    spam_ids = set(rng.sample(range(total), spam_n))
    campaigns = ["crypto"] * round(spam_n * 0.4) + ["wechat"] * round(spam_n * 0.3)
    campaigns += ["prize"] * (spam_n - len(campaigns))
    rng.shuffle(campaigns)
    times = sorted(rng.uniform(0, 600) for _ in range(total))
    for n in range(total):
        spam = n in spam_ids
        if spam:
            campaign = campaigns.pop()
            language = "zh" if campaign == "wechat" else rng.choice(["en", "zh"])
            address = (
                _ip(rng.choice(datacenters), rng)
                if rng.random() < 0.6
                else _ip(f"{rng.randint(60, 99)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}", rng)
            )
            domain = "mailbox-now.example" if rng.random() < 0.5 else "gmail.com"
        else:
            campaign = ""
            language = "zh" if rng.random() < 0.45 else "en"
            roll = rng.random()
            if roll < 0.2:
                address = _ip(rng.choice(carriers), rng)
            elif roll < 0.3:
                address = _ip(rng.choice(campuses), rng)
            else:
                address = _ip(f"{rng.randint(20, 99)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}", rng)
            domain = rng.choice(big) if rng.random() < 0.78 else rng.choice(small)
        account = Account(
            n=n, spam=spam, campaign=campaign, language=language, address=address, domain=domain, at=times[n]
        )
        wx = f"{rng.choice(['vx', 'wx', 'ab', 'mm'])}{rng.randint(1000, 99999)}"
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            kind = "note" if rng.random() < 0.3 else "comment"
            if campaign == "crypto":
                text = crypto_post(rng, "https://bit.ly/3Kx9Qw")
            elif campaign == "wechat":
                text = wechat_post(rng, wx)
            elif campaign == "prize":
                text = prize_post(
                    rng, rng.choice(["claim-prize.top/win", "https://claim-prize.top/win?u=" + wx])
                )
            elif language == "zh":
                text, zh_i = zh[zh_i % len(zh)], zh_i + 1
            else:
                text, en_i = en[en_i % len(en)], en_i + 1
            if not spam and rng.random() < 0.06:
                pattern = rng.choice(LEGIT_LINKS)
                link = pattern.format(
                    id=rng.randint(10**6, 10**7),
                    word=rng.choice(["tea", "bread", "trail", "moss"]),
                    num=rng.randint(10**8, 10**9),
                )
                intro = rng.choice(LINK_INTROS_ZH if language == "zh" else LINK_INTROS_EN)
                text = f"{text} {intro} {link}"
            account.posts.append((kind, text[:900]))
        accounts.append(account)
    return accounts


# ---------------------------------------------------------------------------------------------
# One mode, in its own process


def run_mode(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from bench.common import django_setup

    django_setup()
    from django.core.management import call_command
    from django.test import RequestFactory
    from django.test.utils import override_settings
    from django.utils import timezone

    from haven.accounts import services as accounts_services
    from haven.accounts.models import User
    from haven.core.errors import HavenError
    from haven.engagement import services as engagement
    from haven.engagement.models import Comment
    from haven.media.models import MediaImage
    from haven.moderation import scoring, surge
    from haven.moderation.models import Case, ClusterItem, ContentCluster, SignupEvent
    from haven.notes import services as notes
    from haven.notes.models import Note

    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    surge.register_all()
    classifier_note = _classifiers_state()

    timings: list[float] = []
    screen_timings: list[float] = []
    real_score, real_screen = scoring.score_content, surge.screen

    def timed_score(*, kind: str, pk: int) -> dict[str, Any]:
        started = time.process_time()
        try:
            return real_score(kind=kind, pk=pk)
        finally:
            timings.append(time.process_time() - started)

    def timed_screen(**kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return real_screen(**kwargs)
        finally:
            screen_timings.append(time.process_time() - started)

    scoring.score_content = timed_score  # type: ignore[assignment]
    surge.screen = timed_screen  # type: ignore[assignment]

    rng = random.Random(args.seed + 1)
    en, zh, sources = load_texts(Path(args.data), random.Random(args.seed))
    population = build_population(args, en, zh)

    def image_for(owner: Any) -> int:
        n = MediaImage.objects.count()
        return MediaImage.objects.create(
            owner=owner,
            state=MediaImage.State.READY,
            original_format="jpeg",
            width=1080,
            height=1440,
            blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj",
            grid_path=f"r/drill/{n}-grid.webp",
            detail_path=f"r/drill/{n}-detail.webp",
        ).pk

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        old = timezone.now() - timedelta(days=90)
        hosts = []
        for h in range(30):
            user = accounts_services.user_signup(
                username=f"host_{h}", email=f"host{h}@gmail.com", password=PASSWORD
            )
            User.objects.filter(pk=user.pk).update(date_joined=old)
            user.refresh_from_db()
            for k in range(2):
                hosts.append(
                    notes.note_create(
                        author=user,
                        title=f"Host note {h}-{k}",
                        body=(en + zh)[h * 2 + k][:400],
                        image_ids=[image_for(user)],
                    )
                )
        operator = User.objects.create_superuser(
            username="drill_operator", email="op@gmail.com", password=PASSWORD
        )
        User.objects.filter(pk=operator.pk).update(date_joined=old)
        operator.refresh_from_db()
        if args.mode == "surge":
            surge.surge_mode_set(operator=operator, active=True, reason="surge drill")
        surge.signature(en[0] + " " + zh[0])  # a warm process: MinHash permutations built, imports done
        timings.clear()
        screen_timings.clear()

        factory = RequestFactory()
        refused_signup: Counter[str] = Counter()
        refused_posts: Counter[str] = Counter()
        made: dict[tuple[str, int], tuple[int, bool, str]] = {}  # (kind, pk) -> (account n, spam, campaign)
        signed_up: dict[int, bool] = {}
        started = time.perf_counter()
        events: list[tuple[float, int, Any]] = []
        for account in population:
            events.append((account.at, 0, account))
            for i, _post in enumerate(account.posts):
                events.append((account.at + 20 + i * rng.uniform(30, 240), 1 + i, account))
        events.sort(key=lambda e: (e[0], e[2].n, e[1]))
        users: dict[int, Any] = {}
        for _at, step, account in events:
            role = "spam" if account.spam else "legit"
            if step == 0:
                request = factory.post("/signup/", REMOTE_ADDR=account.address)
                try:
                    users[account.n] = accounts_services.user_signup(
                        username=f"drill_{account.n}",
                        email=f"drill_{account.n}@{account.domain}",
                        password=PASSWORD,
                        interface_language="zh-hans" if account.language == "zh" else "en",
                        request=request,
                    )
                    signed_up[account.n] = True
                except HavenError as exc:
                    refused_signup[f"{role}:{exc.code}"] += 1
                    signed_up[account.n] = False
                continue
            user = users.get(account.n)
            if user is None:
                continue
            kind, text = account.posts[step - 1]
            try:
                if kind == "note":
                    title = text.split("\n")[0][:40]
                    obj = notes.note_create(author=user, title=title, body=text, image_ids=[image_for(user)])
                else:
                    host = rng.choice(hosts)
                    obj = engagement.comment_create(author=user, note_id=host.pk, body=text)
            except HavenError as exc:
                refused_posts[f"{role}:{exc.code}"] += 1
                continue
            made[(kind, obj.pk)] = (account.n, account.spam, account.campaign)
        elapsed = time.perf_counter() - started

    # ------------------------------------------------------------------ figures
    states = {("note", pk): s for pk, s in Note.objects.values_list("pk", "moderation")}
    states.update({("comment", pk): s for pk, s in Comment.objects.values_list("pk", "moderation")})
    in_cluster = set(ClusterItem.objects.values_list("item_kind", "item_pk"))
    own_cases = {
        (k, p): src if src != "classifier" else f"classifier:{reason or 'other'}"
        for k, p, src, reason in Case.objects.exclude(target_kind="cluster").values_list(
            "target_kind", "target_id", "source", "reason__code"
        )
    }

    def why(key: tuple[str, int]) -> str:
        if key in in_cluster:
            return "cluster"
        return str(own_cases.get(key, "other"))

    legit_posts = spam_posts = 0
    legit_held: Counter[str] = Counter()
    spam_held: Counter[str] = Counter()
    spam_visible = 0
    visible_by_campaign: Counter[str] = Counter()
    per_spam_account: dict[int, list[bool]] = defaultdict(list)
    for key, (n, spam, campaign) in made.items():
        stopped = states.get(key) != "ok"
        if spam:
            spam_posts += 1
            per_spam_account[n].append(stopped)
            if stopped:
                spam_held[why(key)] += 1
            else:
                spam_visible += 1
                visible_by_campaign[campaign] += 1
        else:
            legit_posts += 1
            if stopped:
                legit_held[why(key)] += 1
    spam_accounts = [a for a in population if a.spam]
    refused_spam_accounts = sum(1 for a in spam_accounts if not signed_up.get(a.n))
    fully = sum(
        1
        for a in spam_accounts
        if signed_up.get(a.n) and per_spam_account.get(a.n) and all(per_spam_account[a.n])
    )
    partly = sum(1 for a in spam_accounts if signed_up.get(a.n) and any(per_spam_account.get(a.n, [])))
    silent = sum(1 for a in spam_accounts if signed_up.get(a.n) and not per_spam_account.get(a.n))
    legit_accounts = [a for a in population if not a.spam]
    open_cases = Case.objects.filter(state__in=("open", "in_review"))
    clusters = list(
        ContentCluster.objects.order_by("pk").values(
            "rule", "item_count", "account_count", "language", "domain"
        )
    )
    ms = [t * 1000 for t in timings]
    return {
        "mode": args.mode,
        "classifiers": classifier_note,
        "text_sources": sources,
        "accounts": len(population),
        "spam_accounts": len(spam_accounts),
        "spam_accounts_refused_at_signup": refused_spam_accounts,
        "spam_accounts_all_posts_held": fully,
        "spam_accounts_some_post_held": partly,
        "spam_accounts_stopped": refused_spam_accounts + fully + silent,
        "legit_accounts": len(legit_accounts),
        "legit_signups_refused": sum(v for k, v in refused_signup.items() if k.startswith("legit")),
        "signups_refused": dict(refused_signup),
        "posts_refused": dict(refused_posts),
        "legit_posts": legit_posts,
        "legit_posts_held": sum(legit_held.values()),
        "legit_posts_held_by": dict(legit_held),
        "spam_posts": spam_posts,
        "spam_posts_held": sum(spam_held.values()),
        "spam_posts_held_by": dict(spam_held),
        "spam_posts_visible": spam_visible,
        "spam_posts_visible_by_campaign": dict(visible_by_campaign),
        "cases_opened": Case.objects.count(),
        "cases_by_source": dict(Counter(Case.objects.values_list("source", flat=True))),
        "open_queue_by_language": dict(Counter(open_cases.values_list("language", flat=True))),
        "held_posts_total": sum(1 for s in states.values() if s == "held"),
        "clusters": clusters,
        "signup_events": SignupEvent.objects.count(),
        "scored_posts": len(ms),
        "cpu_ms_per_post_mean": round(statistics.fmean(ms), 2) if ms else 0.0,
        "cpu_ms_per_post_p50": round(statistics.median(ms), 2) if ms else 0.0,
        "cpu_ms_per_post_p95": round(sorted(ms)[int(0.95 * (len(ms) - 1))], 2) if ms else 0.0,
        "cpu_ms_surge_checks_mean": round(statistics.fmean(screen_timings) * 1000, 2)
        if screen_timings
        else 0.0,
        "wall_seconds": round(elapsed, 1),
    }


def _classifiers_state() -> str:
    """Use the shipped text classifiers when they load; otherwise score without them and say so."""
    from haven.moderation import scoring

    try:
        from haven.moderation import classifiers

        classifiers.score_text("warm up", language="en")
        scoring.thresholds()
        return f"on ({getattr(classifiers, 'MODEL_VERSION', '?')})"
    except Exception as exc:  # any failure means: run the drill without them
        import types

        stub = types.ModuleType("haven.moderation.classifiers")
        stub.score_text = lambda text, language=None: {}  # type: ignore[attr-defined]
        stub.thresholds = lambda: {}  # type: ignore[attr-defined]
        sys.modules["haven.moderation.classifiers"] = stub
        import haven.moderation

        haven.moderation.classifiers = stub  # type: ignore[attr-defined]
        return f"off ({type(exc).__name__}: {str(exc)[:80]})"


# ---------------------------------------------------------------------------------------------
# The parent: both modes, side by side


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100.0 * part / whole:.1f} %)" if whole else "0/0"


def report(results: list[dict[str, Any]]) -> str:
    rows = [
        ("classifiers", lambda r: r["classifiers"]),
        (
            "spam accounts stopped (refused or every post held)",
            lambda r: _pct(r["spam_accounts_stopped"], r["spam_accounts"]),
        ),
        ("  refused at sign-up", lambda r: str(r["spam_accounts_refused_at_signup"])),
        ("  every post held", lambda r: str(r["spam_accounts_all_posts_held"])),
        ("spam accounts with at least one post held", lambda r: str(r["spam_accounts_some_post_held"])),
        ("spam posts held", lambda r: _pct(r["spam_posts_held"], r["spam_posts"])),
        (
            "spam posts left visible (by campaign)",
            lambda r: f"{r['spam_posts_visible']} {json.dumps(r['spam_posts_visible_by_campaign'])}",
        ),
        ("legitimate posts held by mistake", lambda r: _pct(r["legit_posts_held"], r["legit_posts"])),
        ("  by rule", lambda r: json.dumps(r["legit_posts_held_by"]) or "{}"),
        ("legitimate sign-ups refused", lambda r: _pct(r["legit_signups_refused"], r["legit_accounts"])),
        ("posts refused by new-account limits", lambda r: json.dumps(r["posts_refused"])),
        ("cases opened (by source)", lambda r: f"{r['cases_opened']} {json.dumps(r['cases_by_source'])}"),
        ("open queue by language", lambda r: json.dumps(r["open_queue_by_language"])),
        ("posts held in total", lambda r: str(r["held_posts_total"])),
        (
            "clusters (rule: posts/accounts)",
            lambda r: (
                ", ".join(f"{c['rule']}: {c['item_count']}/{c['account_count']}" for c in r["clusters"])
                or "none"
            ),
        ),
        (
            "CPU ms per post, scoring (mean / p50 / p95)",
            lambda r: (
                f"{r['cpu_ms_per_post_mean']} / {r['cpu_ms_per_post_p50']} / {r['cpu_ms_per_post_p95']}"
            ),
        ),
        ("  of which surge checks (mean)", lambda r: str(r["cpu_ms_surge_checks_mean"])),
        ("posts scored", lambda r: str(r["scored_posts"])),
    ]
    lines = ["| | " + " | ".join(r["mode"] for r in results) + " |", "|---|" + "---|" * len(results)]
    for label, get in rows:
        lines.append(f"| {label} | " + " | ".join(get(r) for r in results) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared moderation data folder")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--spam-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", default="normal,surge")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "out" / "surge-drill.json")
    parser.add_argument("--mode", help=argparse.SUPPRESS)  # a child process runs one mode
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mode:
        result = run_mode(args)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        return
    results = []
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        workdir = Path(tempfile.mkdtemp(prefix=f"haven-surge-{mode}-"))
        env = {k: v for k, v in os.environ.items() if k not in ("HAVEN_DATABASE_URL", "HAVEN_REDIS_URL")}
        env.update(
            HAVEN_DATA_DIR=str(workdir),
            HAVEN_MODERATION_SCORING="true",
            HAVEN_TASKS_BACKEND="immediate",
            HAVEN_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONPATH=str(REPO),
        )
        out = workdir / "result.json"
        command = [
            sys.executable,
            "-m",
            "bench.surge_drill",
            "--mode",
            mode,
            "--out",
            str(out),
            "--data",
            str(args.data),
            "--accounts",
            str(args.accounts),
            "--spam-share",
            str(args.spam_share),
            "--seed",
            str(args.seed),
        ]
        print(f"running {mode} mode in {workdir} ...", flush=True)
        subprocess.run(command, cwd=REPO, env=env, check=True)
        result = json.loads(out.read_text())
        print(f"  {mode}: {result['wall_seconds']} s", flush=True)
        results.append(result)
    print()
    print(report(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
