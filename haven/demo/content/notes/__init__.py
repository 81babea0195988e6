"""Note banks, one module per topic: what a note on that topic says, and what its pictures show."""

from __future__ import annotations

from haven.demo.content.base import Bank
from haven.demo.content.notes import (
    cafe,
    crafts,
    fitness,
    food,
    home,
    outfit,
    pets,
    photography,
    skincare,
    study,
    travel,
)

BANKS: dict[str, dict[str, Bank]] = {
    "food": food.BANK,
    "cafe": cafe.BANK,
    "travel": travel.BANK,
    "outfit": outfit.BANK,
    "skincare": skincare.BANK,
    "home": home.BANK,
    "pets": pets.BANK,
    "fitness": fitness.BANK,
    "study": study.BANK,
    "photography": photography.BANK,
    "crafts": crafts.BANK,
}
