"""The personal-data registry (ARCHITECTURE.md rule 11): one exporter and one eraser per model.

Every app registers, from its `AppConfig.ready()`, each model that holds a member's data or
content: which fields point at the member, how to export the member's rows as JSON-ready dicts
(and the files that belong with them), and how to erase them (delete or anonymise). The privacy
app walks this registry to build a data export and to erase an account; `tests/test_personal_data`
walks every installed model and fails when one that references a member is not registered, so an
app built later cannot be forgotten.

Rules for registrations:
- `owner_fields` are the fields whose rows are *this member's* and go into their export (for a
  follow: `follower`; the people following them are exported too, but by another registration
  or as usernames only). `other_user_fields` are references to members whose rows are not exported
  for them but must still be handled by the eraser (a block *of* the member, a mention of them).
- An exporter returns only what belongs to the member; another member appears by username only.
- An eraser is idempotent and runs before the member's `User` row goes. It returns how many rows it
  deleted or anonymised. When rows must be kept (tax law, moderation records) it anonymises them and
  the registration says why in `kept`, which the privacy policy page lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model

Row = dict[str, Any]


@dataclass(frozen=True)
class ExportFile:
    """A file that belongs in a member's export: where it goes in the ZIP and how to open it."""

    archive_name: str
    open: Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Registration:
    model: type[Model]
    section: str
    owner_fields: tuple[str, ...]
    exporter: Callable[[Any], Iterable[Row]] | None
    eraser: Callable[[Any], int] | None
    other_user_fields: tuple[str, ...] = ()
    personal_fields: tuple[str, ...] = ()
    files: Callable[[Any], Iterable[ExportFile]] | None = None
    kept: str = ""
    erased_with: str = ""
    order: int = 100
    outside_transaction: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass(frozen=True)
class Exemption:
    model: type[Model]
    reason: str


@dataclass
class _Registry:
    registrations: dict[str, Registration] = field(default_factory=dict)
    exemptions: dict[str, Exemption] = field(default_factory=dict)


_registry = _Registry()


def register(
    model: type[Model],
    *,
    section: str,
    owner_fields: Iterable[str],
    exporter: Callable[[Any], Iterable[Row]] | None,
    eraser: Callable[[Any], int] | None,
    other_user_fields: Iterable[str] = (),
    personal_fields: Iterable[str] = (),
    files: Callable[[Any], Iterable[ExportFile]] | None = None,
    kept: str = "",
    erased_with: str = "",
    order: int = 100,
    outside_transaction: bool = False,
) -> None:
    """Register `model` as holding members' data (idempotent: the last registration wins).

    `exporter(user)` yields the member's rows; `eraser(user)` removes or anonymises every row that
    references the member through any of `owner_fields` + `other_user_fields`. A model whose rows
    are removed by another registration's eraser (cascade from a parent) passes `eraser=None` and
    names that parent in `erased_with`. `order` sorts erasers (lower runs first). An eraser that
    deletes files (which no transaction can roll back) passes `outside_transaction=True`: those run
    first, before the database transaction that erases the rows, and must be idempotent.
    """
    if eraser is None and not erased_with:
        raise ValueError(f"{model._meta.label}: an eraser or erased_with is required")
    _registry.registrations[model._meta.label] = Registration(
        model=model,
        section=section,
        owner_fields=tuple(owner_fields),
        exporter=exporter,
        eraser=eraser,
        other_user_fields=tuple(other_user_fields),
        personal_fields=tuple(personal_fields),
        files=files,
        kept=kept,
        erased_with=erased_with,
        order=order,
        outside_transaction=outside_transaction,
    )


def exempt(model: type[Model], *, reason: str) -> None:
    """Declare that `model` references members but holds none of their personal data (say why)."""
    _registry.exemptions[model._meta.label] = Exemption(model=model, reason=reason)


def registrations() -> list[Registration]:
    """Every registration, in eraser order."""
    return sorted(_registry.registrations.values(), key=lambda r: (r.order, r.label))


def registration_for(model: type[Model]) -> Registration | None:
    return _registry.registrations.get(model._meta.label)


def exemption_for(model: type[Model]) -> Exemption | None:
    return _registry.exemptions.get(model._meta.label)


def sections() -> Iterator[tuple[str, list[Registration]]]:
    """Registrations grouped by export section, in a stable order."""
    grouped: dict[str, list[Registration]] = {}
    for registration in registrations():
        if registration.exporter is not None:
            grouped.setdefault(registration.section, []).append(registration)
    for name in sorted(grouped):
        yield name, grouped[name]


def kept_records() -> list[Registration]:
    """Registrations that keep anonymised rows, with their reason (listed on the privacy page)."""
    return [r for r in registrations() if r.kept]


def rows_deleter(model: type[Model], field: str = "user") -> Callable[[Any], int]:
    """An eraser that deletes the rows of `model` whose `field` is the member (the common case)."""

    def eraser(user: Any) -> int:
        return int(model._default_manager.filter(**{f"{field}_id": user.pk}).delete()[0])

    eraser.__name__ = f"erase_{model._meta.model_name}"
    eraser.__doc__ = f"Delete the member's {model._meta.verbose_name_plural}."
    return eraser
