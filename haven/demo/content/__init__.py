"""Demo content: members, notes per topic (with their pictures and translations), comments (zh + en)."""

from haven.demo.content.base import TOPICS, Bank, Persona
from haven.demo.content.comments import COLLECTION_NAMES
from haven.demo.content.compose import (
    NoteText,
    Translation,
    compose_bilingual,
    compose_comment,
    compose_note,
    compose_reply,
    writing_language,
)
from haven.demo.content.crowd import generated_persona
from haven.demo.content.notes import BANKS
from haven.demo.content.people import DEMO, PERSONAS
from haven.demo.content.pictures import ALT_TEXTS, TOPIC_PICTURES

__all__ = [
    "ALT_TEXTS",
    "BANKS",
    "COLLECTION_NAMES",
    "DEMO",
    "PERSONAS",
    "TOPICS",
    "TOPIC_PICTURES",
    "Bank",
    "NoteText",
    "Persona",
    "Translation",
    "compose_bilingual",
    "compose_comment",
    "compose_note",
    "compose_reply",
    "generated_persona",
    "writing_language",
]
