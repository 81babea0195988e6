"""Notes by bilingual members, written in one language and translated by the author into the other.

Each note exists in both languages, written as a person would say it in each (not word for word), so
the demo shows author translations at work: a reader who does not read the note's language sees the
author's own words in theirs. {city} and {spot} are filled with the same place in both languages.
"""

from __future__ import annotations

from haven.demo.content.base import Bilingual
from haven.demo.content.bilingual import at_home, eating, going_out

NOTES: tuple[Bilingual, ...] = eating.NOTES + going_out.NOTES + at_home.NOTES

__all__ = ["NOTES", "Bilingual"]
