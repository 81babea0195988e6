"""Demo seeding, first steps: members, their follows and their collections."""

from __future__ import annotations

import math
from datetime import timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password

from haven.accounts import services as accounts
from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.demo import content
from haven.demo.seeding.base import (
    EMAIL_DOMAIN,
    SPREAD_DAYS,
    Member,
    SeederBase,
)
from haven.engagement import services as engagement
from haven.graph import services as graph


class MembersStep(SeederBase):
    """Sign-ups, follows and collections."""

    def personas(self, count: int) -> list[content.Persona]:
        """The demo login first, then hand-written members interleaved by language, then generated ones."""
        rng = self.rng
        by_lang: dict[str, list[content.Persona]] = {"zh": [], "en": [], "both": []}
        for persona in content.PERSONAS:
            by_lang[persona.lang].append(persona)
        for group in by_lang.values():
            rng.shuffle(group)
        ordered: list[content.Persona] = []
        pattern = ("zh", "en", "zh", "en", "both")
        while any(by_lang.values()):
            for lang in pattern:
                if by_lang[lang]:
                    ordered.append(by_lang[lang].pop())
        chosen = [content.DEMO, *ordered][:count]
        index = 0
        while len(chosen) < count:
            chosen.append(content.generated_persona(rng, index))
            index += 1
        return chosen

    def create_members(self, count: int) -> None:
        # All demo members share one password: hash it once (Argon2 is deliberately slow, ~0.1-1 s a
        # hash) and let every sign-up reuse that hash, as the accounts test factories do.
        hashed = make_password(self.password)
        with mock.patch("django.contrib.auth.base_user.make_password", lambda _raw, *a, **k: hashed):
            for persona in self.personas(count):
                user = self._signup(persona)
                if user is not None:
                    self.members.append(Member(persona=persona, user=user))
        self._assign_weights()
        self.following = {m.pk: set() for m in self.members}

    def _signup(self, persona: content.Persona) -> User | None:
        if persona is content.DEMO:
            existing = User.objects.filter(username=persona.username).first()
            if existing is not None:  # --force on a seeded database: keep the demo login as it is
                self.demo = Member(persona=persona, user=existing)
                self.demo_reused = True
                self.members.append(self.demo)
                return None
        username = self._free_username(persona.username)
        user = accounts.user_signup(  # no request: sign-ups from here are not rate-limited per IP
            username=username,
            email=f"{username}@{EMAIL_DOMAIN}",
            password=self.password,
            display_name=persona.display_name,
            languages=persona.languages,
            interface_language=persona.ui_language,
        )
        accounts.profile_update(user=user, bio=persona.bio, region=persona.region, is_private=persona.private)
        if persona is content.DEMO:
            self.demo = Member(persona=persona, user=user)
            self.members.append(self.demo)
            return None
        return user

    @staticmethod
    def _free_username(wanted: str) -> str:
        name, k = wanted, 1
        while (
            User.objects.filter(username=name).exists()
            or User.objects.filter(email__iexact=f"{name}@{EMAIL_DOMAIN}").exists()
        ):
            k += 1
            name = f"{wanted[:26]}_{k}"
        return name

    def _assign_weights(self) -> None:
        """Power-law popularity (a few members most people follow) and varied posting activity."""
        rng = self.rng
        order = self.members[:]
        rng.shuffle(order)
        if self.demo is not None:  # the demo login is well connected, so its inbox is lively
            order.remove(self.demo)
            order.insert(min(2, len(order)), self.demo)
        for rank, member in enumerate(order):
            member.popularity = 1.0 / (rank + 1) ** 0.9
            member.activity = rng.lognormvariate(0.0, 0.6)

    # follows ------------------------------------------------------------------------------------

    def create_follows(self) -> tuple[int, int]:
        """Everyone follows a handful of members, popular ones most; private accounts approve most."""
        rng = self.rng
        count = len(self.members)
        requests: list[tuple[Member, Member]] = []
        followed = 0
        for member in self.members:
            if member is self.demo:
                k = max(min(count - 1, 8), count // 2)
            else:
                k = round(rng.lognormvariate(math.log(3 + 0.2 * count), 0.45))
            k = max(1, min(count - 1, k))
            for target in self._weighted_sample(self._follow_candidates(member), k):
                # Most follows predate the notes; a quarter are recent (the community is growing).
                days = rng.uniform(0.1, SPREAD_DAYS) if rng.random() < 0.25 else rng.uniform(SPREAD_DAYS, 60)
                at = self.now - timedelta(days=days)
                state = graph.follow_create(follower=member.user, followee=target.user)
                self.times.follows[(member.pk, target.pk)] = at
                if state == "followed":
                    self.following[member.pk].add(target.pk)
                    followed += 1
                else:
                    requests.append((member, target))
        pending = 0
        for requester, target in requests:
            if requester is self.demo or rng.random() < 0.75:
                graph.follow_request_approve(target=target.user, requester=requester.user)
                self.following[requester.pk].add(target.pk)
                followed += 1
            else:
                pending += 1
        return followed, pending

    def _follow_candidates(self, member: Member) -> list[tuple[Member, float]]:
        out = []
        for other in self.members:
            if other is member:
                continue
            weight = other.popularity
            if set(other.persona.topics) & set(member.persona.topics):
                weight *= 1.8
            if other.persona.lang == member.persona.lang or "both" in (
                other.persona.lang,
                member.persona.lang,
            ):
                weight *= 1.3
            if other is self.demo:
                weight *= 1.5
            out.append((other, weight))
        return out

    def create_collections(self) -> int:
        rng = self.rng
        made = 0
        for member in self.members:
            if member is not self.demo and rng.random() >= 0.45:
                continue
            langs = ("zh", "en") if member.persona.lang == "both" else (member.persona.lang,)
            names = [choice for lang in langs for choice in content.COLLECTION_NAMES[lang]]
            for name, is_public in rng.sample(names, k=2 if member is self.demo else rng.randint(1, 2)):
                try:
                    collection = engagement.collection_create(
                        owner=member.user, name=name, is_public=is_public
                    )
                except HavenError:
                    continue
                member.collections.append(int(collection.pk))
                made += 1
        return made
