"""The shapes of demo content: topics, members (personas) and the banks notes are composed from."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Topics a demo note can be about; the painter has one family of pictures for each.
TOPICS: tuple[str, ...] = (
    "food",
    "cafe",
    "travel",
    "outfit",
    "skincare",
    "home",
    "pets",
    "fitness",
    "study",
    "photography",
    "crafts",
)


@dataclass(frozen=True)
class Persona:
    """A demo member: `lang` is the language they mostly write in ("zh", "en", or "both")."""

    username: str
    display_name: str
    lang: str
    languages: tuple[str, ...]
    region: str
    bio: str
    topics: tuple[str, ...]
    private: bool = False
    interface_language: str = field(default="")

    @property
    def ui_language(self) -> str:
        return self.interface_language or ("zh-hans" if self.lang == "zh" else "en")


#: A note title template and the picture subject it shows: a key of haven.demo.paint.SUBJECTS, or
#: "{slot}" for "whatever the value filling that slot shows" (see haven.demo.content.words.PICTURED).
Title = tuple[str, str]


@dataclass(frozen=True)
class Bank:
    """What one topic sounds like in one language."""

    titles: tuple[Title, ...]
    lines: tuple[str, ...]
    tags: tuple[str, ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Bilingual:
    """One note in both languages, with the topic it belongs to and the picture subject it shows."""

    topic: str
    picture: str
    zh: tuple[str, ...]  # the title, then the lines of the body; the last line is the hashtags
    en: tuple[str, ...]
    #: (zh, en) location of a note about one named place; otherwise the note's {city} is its location.
    place: tuple[str, str] | None = None

    def text(self, lang: str) -> tuple[str, str]:
        """(title, body) in `lang`, the hashtags in a paragraph of their own."""
        title, *lines = self.zh if lang == "zh" else self.en
        return title, "\n".join(lines[:-1]) + "\n\n" + lines[-1]
