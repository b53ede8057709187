"""A client's writing on its way in, before anything else about the form it came in.

Every free-text field is screened on its own, and any alert is committed at once, in
its own transaction: a form refused for another field (a malformed sleep field, a
strength not ticked, a phone number with a letter in it) must never drop the words. The
tools' own use cases screen the saved entry again; `rules.repeats` makes that the same
alert, so nobody is paged twice for the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.safety.screening import screen_text

_RANK = {"none": 0, "concern": 1, "urgent": 2}


@dataclass(frozen=True)
class Writing:
    """The free text of one form as typed: the kind of entry it is saved as (the
    screening `source_kind`), the entry's id when it exists already, and each field as
    (how an alert names where the words came from, the words)."""

    kind: str
    source_id: int | None
    fields: Sequence[tuple[str, str]]


def worst(*levels: str) -> str:
    """The most severe of some screening levels ("none", "concern", "urgent")."""
    return max(levels, key=lambda level: _RANK.get(level, 0), default="none")


def screen_first(
    db: Session, *, client: Client, writing: Writing, now: datetime, base_url: str
) -> str:
    """Screen each field, commit the alerts, and answer with the worst level found."""
    found = "none"
    for label, text in writing.fields:
        words = text.strip()
        if not words:
            continue
        result = screen_text(
            db,
            client=client,
            source_kind=writing.kind,
            source_id=writing.source_id,
            source_label=label,
            text=words,
            now=now,
            base_url=base_url,
        )
        found = worst(found, result.level)
    db.commit()
    return found
