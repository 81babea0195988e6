"""Demo seeding: planning the notes, painting their pictures and creating them with their translations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from haven.demo import content, paint
from haven.demo.seeding.base import (
    IMAGE_COUNT_WEIGHTS,
    SPREAD_DAYS,
    Member,
    NotePlan,
    SeederBase,
)
from haven.demo.seeding.images import parallel
from haven.notes import services as notes
from haven.notes.models import Visibility
from haven.translation import aids_services as translation


class NotesStep(SeederBase):
    """Note plans, pictures and notes (with author translations for bilingual members)."""

    def plan_notes(self, total: int) -> None:
        """Decide every note up front (author, topic, language, images, visibility, time), oldest first."""
        rng = self.rng
        others = [m for m in self.members if m is not self.demo]
        demo_count = min(5, max(1, round(total * 0.05))) if self.demo is not None and total else 0
        authors: list[Member] = [self.demo] * demo_count if self.demo is not None else []
        rest = total - len(authors)
        authors += others[:rest]  # everyone posts at least once when there are enough notes
        if rest > len(others) and others:
            authors += rng.choices(others, weights=[m.activity for m in others], k=rest - len(others))
        counts = [n for n, _w in IMAGE_COUNT_WEIGHTS]
        weights = [w for _n, w in IMAGE_COUNT_WEIGHTS]
        demo_seen = 0
        for author in authors:
            persona = author.persona
            topic = rng.choice(persona.topics) if rng.random() < 0.8 else rng.choice(content.TOPICS)
            lang, mixed = content.writing_language(rng, persona)
            images = rng.choices(counts, weights)[0]
            roll = rng.random()
            visibility = (
                Visibility.FOLLOWERS
                if roll < 0.12
                else Visibility.PRIVATE
                if roll < 0.14
                else Visibility.PUBLIC
            )
            publish = rng.random() >= 0.05
            if author is self.demo:
                demo_seen += 1
                visibility = Visibility.PUBLIC
                publish = not (demo_seen == demo_count and demo_count >= 3)  # one draft among several
            hours = SPREAD_DAYS * 24 * rng.random() ** 1.3 + rng.uniform(0.5, 3)
            seeds = tuple(rng.randrange(1 << 30) for _i in range(images))
            friend = self._friend_for(author)
            self.plans.append(
                NotePlan(
                    author=author,
                    topic=topic,
                    lang=lang,
                    mixed=mixed,
                    size=paint.pick_size(rng),
                    seeds=seeds,
                    visibility=visibility,
                    publish=publish,
                    at=self.now - timedelta(hours=hours),
                    friend=friend,
                    text=self._compose(
                        persona, topic=topic, lang=lang, mixed=mixed, images=images, friend=friend
                    ),
                )
            )
        self.plans.sort(key=lambda plan: plan.at)

    def _compose(
        self, persona: content.Persona, *, topic: str, lang: str, mixed: bool, images: int, friend: str | None
    ) -> content.NoteText:
        """A note's text: a bilingual member's comes with their own translation into the other language."""
        if persona.lang == "both":
            return content.compose_bilingual(
                self.rng, topic=topic, lang=lang, images=images, friend=friend, used_titles=self.used_titles
            )
        return content.compose_note(
            self.rng,
            topic=topic,
            lang=lang,
            images=images,
            friend=friend,
            mixed=mixed,
            used_titles=self.used_titles,
        )

    def _friend_for(self, author: Member) -> str | None:
        """Sometimes a note mentions someone the author follows (the demo login more often)."""
        rng = self.rng
        if rng.random() >= 0.15:
            return None
        follows = self.following.get(author.pk, set())
        if self.demo is not None and self.demo.pk in follows and rng.random() < 0.35:
            return str(self.demo.user.username)
        pool = [m for m in self.members if m.pk in follows] or [m for m in self.members if m is not author]
        return str(rng.choice(pool).user.username) if pool else None

    def _avatar_picture(self, persona: content.Persona) -> str:
        return self.rng.choice(content.TOPIC_PICTURES[self.rng.choice(persona.topics)])

    def create_notes(self) -> tuple[int, int]:
        """Paint and process images (in parallel when possible); create notes and engagement, oldest first."""
        rng = self.rng
        tasks: list[tuple[str, Any]] = [
            (
                "avatar",
                (
                    m.pk,
                    rng.choice(content.TOPIC_PICTURES[rng.choice(m.persona.topics)]),
                    rng.randrange(1 << 30),
                ),
            )
            for m in self.members
            if not m.user.avatar and (m is self.demo or rng.random() < 0.85)
        ]
        avatars = len(tasks)
        tasks += [
            ("note", (plan.author.pk, plan.text.picture, plan.size[0], plan.size[1], plan.seeds))
            for plan in self.plans
        ]
        results = parallel(self.jobs, tasks)
        for _i in range(avatars):
            next(results)
        images = 0
        for plan, image_ids in zip(self.plans, results, strict=True):
            text = plan.text
            note = notes.note_create(
                author=plan.author.user,
                title=text.title,
                body=text.body,
                image_ids=image_ids,
                alt_texts=list(text.alt_texts),
                cover_index=0,
                visibility=plan.visibility,
                location_name=text.location,
                publish=plan.publish,
            )
            if text.translation is not None:
                translation.note_translation_save(
                    author=plan.author.user,
                    note_id=note.pk,
                    language=text.translation.language,
                    title=text.translation.title,
                    body=text.translation.body,
                )
            plan.note_id, plan.image_ids = int(note.pk), image_ids
            self.times.notes[plan.note_id] = plan.at
            images += len(image_ids)
            self.engage(plan)  # while the workers paint the next notes
        for member in self.members:  # refresh avatars set by the workers
            member.user.refresh_from_db(fields=["avatar", "avatar_blurhash"])
        return len(self.plans), images

    # engagement ---------------------------------------------------------------------------------
