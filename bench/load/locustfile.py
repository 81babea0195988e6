"""Locust scenarios against a Haven on 127.0.0.1 (see docs/scaling.md for the exact runs).

    locust -f bench/load/locustfile.py --headless -u 20 -r 5 -t 60s \
        --host http://127.0.0.1:8791 --csv bench/out/daily DailyUser

User classes (pick them on the command line):
- DailyUser: the daily mix (Discover, Following, note detail, profile, like, comment, post).
- FollowingUser / DiscoverUser / NoteUser: one endpoint each, to find its ceiling and latency.
- DiscoverReaderUser: Discover first pages with a reading pause (BENCH_READ_SECONDS, default 4)
  between refreshes, reported as discover_ahead / discover_request by where the ranking was made.
- ProfileUser: a profile alone (the profile card and the member's notes, API).
- CeilingUser: the fixed-JSON view /bench/ping (needs HAVEN_BENCH_ENDPOINTS=1): the framework ceiling.
- SurgeUser: the onboarding journey, repeated: CSRF, sign-up (Argon2 hash), Discover, upload, first post.
- SignupUser: sign-up alone (CSRF cookie + POST /api/v1/accounts/signup), paced by BENCH_RATE.
- HtmlUser / HtmlAnonUser: HTML pages, signed in (a session from a password login at start) and
  anonymous: Discover (/), a note page (/notes/<id>/) and a profile page (/@<username>/), 2:1:1.
  HtmlDiscoverUser / HtmlAnonDiscoverUser: the Discover page alone.

Environment: BENCH_POOL (default bench/out/pool-haven_bench.json, from bench.load.setup),
BENCH_RATE (requests per second per simulated user; 0 = as fast as possible),
BENCH_SURGE_PACE (seconds per onboarding journey per SurgeUser, default 2),
BENCH_MAX_REQUESTS (the run stops after this many requests, default 200000, besides -t).
Only 127.0.0.1 / localhost hosts are accepted.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, constant, constant_pacing, constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

POOL_PATH = Path(os.environ.get("BENCH_POOL", "bench/out/pool-haven_bench.json"))
RATE = float(os.environ.get("BENCH_RATE", "0"))
SURGE_PACE = float(os.environ.get("BENCH_SURGE_PACE", "2"))
READ_SECONDS = float(os.environ.get("BENCH_READ_SECONDS", "4"))
PROXY = {"X-Forwarded-Proto": "https"}  # production settings behind a TLS proxy (docs/scaling.md)

_pool: dict[str, Any] = json.loads(POOL_PATH.read_text()) if POOL_PATH.exists() else {}
_members = itertools.cycle(_pool.get("members", []))
_note_ids: list[int] = _pool.get("note_ids", [])
_usernames: list[str] = _pool.get("usernames", [])


MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "200000"))  # a run stops here even before -t
_sent = 0


@events.request.add_listener
def _bounded(**_kw: Any) -> None:
    global _sent
    _sent += 1
    if _sent == MAX_REQUESTS and _environment is not None and _environment.runner is not None:
        _environment.runner.quit()


_environment: Any = None


@events.init.add_listener
def _only_loopback(environment: Any, **_kw: Any) -> None:
    global _environment
    _environment = environment
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"bench/load only targets 127.0.0.1 (got {environment.host!r})")
    if not _pool:
        raise SystemExit(f"{POOL_PATH} is missing: run python -m bench.load.setup first")


def _wait() -> Any:
    return constant_throughput(RATE) if RATE > 0 else constant(0)


class _Member(FastHttpUser):
    """A generated member signed in with an API token."""

    abstract = True
    wait_time = _wait()

    def on_start(self) -> None:
        member = next(_members)
        self.me = member
        self.headers = {**PROXY, "Authorization": f"Bearer {member['token']}"}
        self.seen: list[int] = []

    def get(self, path: str, name: str) -> Any:
        with self.client.get(path, headers=self.headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return None
            try:
                data = response.json()
            except ValueError:
                response.failure("not json")
                return None
            return data

    def remember(self, page: Any) -> None:
        if page and page.get("items"):
            self.seen = [item["id"] for item in page["items"]][:20]

    def some_note(self) -> int:
        if self.seen and random.random() < 0.7:
            return random.choice(self.seen)
        return random.choice(_note_ids)

    def discover(self) -> None:
        self.remember(self.get("/api/v1/feeds/discover?limit=20", "discover"))

    def following(self) -> None:
        self.remember(self.get("/api/v1/feeds/following?limit=20", "following"))

    def note(self) -> None:
        self.get(f"/api/v1/notes/{self.some_note()}", "note")


class DailyUser(_Member):
    """The daily mix, weighted like a lifestyle app's reading-heavy traffic."""

    @task(30)
    def t_discover(self) -> None:
        self.discover()

    @task(25)
    def t_following(self) -> None:
        self.following()

    @task(20)
    def t_note(self) -> None:
        self.note()

    @task(10)
    def t_profile(self) -> None:
        username = random.choice(_usernames)
        self.get(f"/api/v1/graph/users/{username}", "profile")
        self.get(f"/api/v1/feeds/users/{username}/notes?limit=20", "profile_notes")

    @task(8)
    def t_like(self) -> None:
        note_id = self.some_note()
        verb = self.client.put if random.random() < 0.7 else self.client.delete
        with verb(
            f"/api/v1/engagement/notes/{note_id}/like", headers=self.headers, name="like", catch_response=True
        ) as response:
            if response.status_code not in (200, 404):  # 404: a note that became invisible
                response.failure(str(response.status_code))

    @task(4)
    def t_comment(self) -> None:
        note_id = self.some_note()
        body = random.choice(("Love this!", "好看！", "Where is this?", "收藏了～", "Great tips, thanks."))
        with self.client.post(
            f"/api/v1/engagement/notes/{note_id}/comments",
            json={"body": body},
            headers=self.headers,
            name="comment",
            catch_response=True,
        ) as response:
            if response.status_code not in (201, 404):
                response.failure(str(response.status_code))

    @task(3)
    def t_post(self) -> None:
        payload = {
            "title": random.choice(("Weekend market finds", "周末探店", "Morning light", "今日穿搭")),
            "body": "A bench note #weekend 周末愉快",
            "image_ids": [self.me["image_id"]],
            "visibility": "public",
            "publish": True,
        }
        with self.client.post(
            "/api/v1/notes", json=payload, headers=self.headers, name="post", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(str(response.status_code))


class FollowingUser(_Member):
    @task
    def t_following(self) -> None:
        self.following()


class DiscoverUser(_Member):
    @task
    def t_discover(self) -> None:
        self.discover()


class DiscoverReaderUser(_Member):
    """A member who opens Discover, reads the page for about BENCH_READ_SECONDS (uniform between half
    and one and a half of it) and pulls to refresh, so that the task worker can rank the next first page
    ahead (HAVEN_DISCOVER_PREPARE). Reported by where the ranking was made (the X-Haven-Ranking
    header): discover_ahead or discover_request."""

    wait_time = between(0.5 * READ_SECONDS, 1.5 * READ_SECONDS)

    def on_start(self) -> None:
        super().on_start()
        # Readers arrive spread over one reading time, not all in the same millisecond (a burst of
        # every user at once would be most of a short run's tail).
        gevent.sleep(random.uniform(0, READ_SECONDS))

    @task
    def t_refresh(self) -> None:
        path = "/api/v1/feeds/discover?limit=20"
        with self.client.get(path, headers=self.headers, name="discover", catch_response=True) as response:
            made = response.headers.get("X-Haven-Ranking") or "unknown"
            response.request_meta["name"] = f"discover_{made}"
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class NoteUser(_Member):
    @task
    def t_note(self) -> None:
        self.note()


class ProfileUser(_Member):
    @task
    def t_profile(self) -> None:
        username = random.choice(_usernames)
        self.get(f"/api/v1/graph/users/{username}", "profile")
        self.get(f"/api/v1/feeds/users/{username}/notes?limit=20", "profile_notes")


class CeilingUser(FastHttpUser):
    """The framework ceiling: Django + the ASGI server answering a fixed JSON, no database."""

    wait_time = _wait()

    @task
    def ping(self) -> None:
        self.client.get("/bench/ping", headers=PROXY, name="ceiling")


BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - every generated member's (bench.generate)


def _proxy_headers(host: str, cookies: dict[str, str]) -> dict[str, str]:
    """Headers of a browser behind the TLS proxy. Cookies are carried by hand: production settings
    mark them Secure, and the client speaks plain HTTP to the server behind the (simulated) proxy."""
    origin = host.replace("http://", "https://")
    return {
        **PROXY,
        "Origin": origin,
        "Referer": origin + "/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "X-CSRFToken": cookies.get("csrftoken", ""),
    }


class _HtmlBase(HttpUser):
    """A browser asking for HTML pages, signed in (a session) or not."""

    abstract = True
    wait_time = _wait()
    signed_in = False

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}
        if not self.signed_in:
            return
        member = next(_members)
        response = self.client.get("/api/v1/accounts/csrf", headers=PROXY, name="html_csrf")
        self.cookies.update(response.cookies.get_dict())
        with self.client.post(
            "/api/v1/accounts/login",
            json={"username_or_email": member["username"], "password": BENCH_PASSWORD},
            headers=_proxy_headers(self.host, self.cookies),
            name="html_login",
            catch_response=True,
        ) as login:
            if login.status_code != 200:
                login.failure(f"{login.status_code} {login.text[:120]}")
                return
            self.cookies.update(login.cookies.get_dict())
        # Generated members accepted no policy: accept the current ones once, or every page would be
        # a redirect to /policies/updated/.
        headers = _proxy_headers(self.host, self.cookies)
        policies = self.client.get("/api/v1/privacy/policies", headers=headers, name="html_policies")
        for item in policies.json().get("items", []) if policies.status_code == 200 else []:
            if not item["accepted"]:
                self.client.post(
                    "/api/v1/privacy/policies/accept",
                    json={"kind": item["kind"], "version": item["version"]},
                    headers=headers,
                    name="html_policy_accept",
                )

    def page(self, path: str, name: str) -> None:
        headers = {**_proxy_headers(self.host, self.cookies), "Accept": "text/html"}
        with self.client.get(
            path, headers=headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:  # a redirect (policies, login) is not the page
                response.failure(str(response.status_code))
            elif b"<html" not in (response.content or b"")[:2000].lower():
                response.failure("not html")


class _Html(_HtmlBase):
    """HTML pages as a browser asks for them: Discover, a note page, a profile page (2:1:1)."""

    abstract = True

    @task(2)
    def t_discover(self) -> None:
        self.page("/", "html_discover")

    @task(1)
    def t_note(self) -> None:
        self.page(f"/notes/{random.choice(_note_ids)}/", "html_note")

    @task(1)
    def t_profile(self) -> None:
        self.page(f"/@{random.choice(_usernames)}/", "html_profile")


class HtmlUser(_Html):
    signed_in = True


class HtmlAnonUser(_Html):
    pass


class HtmlDiscoverUser(_HtmlBase):
    signed_in = True

    @task
    def t_discover(self) -> None:
        self.page("/", "html_discover")


class HtmlAnonDiscoverUser(_HtmlBase):
    @task
    def t_discover(self) -> None:
        self.page("/", "html_discover")


class SignupUser(HttpUser):
    """Sign-up alone: a CSRF cookie, then POST /api/v1/accounts/signup (one Argon2 hash), repeated."""

    wait_time = _wait()

    @task
    def signup(self) -> None:
        cookies: dict[str, str] = {}
        response = self.client.get("/api/v1/accounts/csrf", headers=PROXY, name="signup_csrf")
        cookies.update(response.cookies.get_dict())
        handle = "u" + uuid.uuid4().hex[:20]
        with self.client.post(
            "/api/v1/accounts/signup",
            json={"username": handle, "email": f"{handle}@bench.invalid", "password": "surge-password-2026"},
            headers=_proxy_headers(self.host, cookies),
            name="signup",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:120]}")


def _tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (random.randrange(256), 120, 90)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class SurgeUser(HttpUser):
    """A new member: sign up (session), read the onboarding feed (Discover), upload a photo, post.

    Cookies are carried by hand: production settings mark them Secure, and the client speaks plain
    HTTP to the server behind the (simulated) TLS proxy.
    """

    wait_time = constant_pacing(SURGE_PACE) if SURGE_PACE > 0 else between(0, 0)

    def _headers(self, cookies: dict[str, str]) -> dict[str, str]:
        origin = self.host.replace("http://", "https://")
        return {
            **PROXY,
            "Origin": origin,
            "Referer": origin + "/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-CSRFToken": cookies.get("csrftoken", ""),
        }

    @task
    def onboarding(self) -> None:
        cookies: dict[str, str] = {}
        response = self.client.get("/api/v1/accounts/csrf", headers=PROXY, name="surge_csrf")
        cookies.update(response.cookies.get_dict())
        handle = "s" + uuid.uuid4().hex[:20]
        with self.client.post(
            "/api/v1/accounts/signup",
            json={
                "username": handle,
                "email": f"{handle}@bench.invalid",
                "password": "surge-password-2026",
                "languages": random.choice((["en"], ["zh"], ["en", "zh"])),
            },
            headers=self._headers(cookies),
            name="signup",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:120]}")
                return
            cookies.update(response.cookies.get_dict())
        self.client.get(
            "/api/v1/feeds/discover?limit=20", headers=self._headers(cookies), name="onboarding_discover"
        )
        with self.client.post(
            "/api/v1/media/images",
            files={"file": ("first.jpg", _tiny_jpeg(), "image/jpeg")},
            headers=self._headers(cookies),
            name="surge_upload",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:120]}")
                return
            image_id = response.json()["id"]
        with self.client.post(
            "/api/v1/notes",
            json={
                "title": "Hello Haven 你好",
                "body": "My first note",
                "image_ids": [image_id],
                "publish": True,
            },
            headers=self._headers(cookies),
            name="first_post",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:120]}")
