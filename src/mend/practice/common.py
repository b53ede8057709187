"""What every between-session tool's pages share: the one way a form holding the
client's own words is saved, and where a save goes next.

Words of risk are never dropped. `save_screened` screens every free-text field of a form
before anything else in it is checked and commits any alert at once (see
`safety.writing`): a check-in refused for its sleep field, or a strengths entry with no
strength ticked, still tells the care team what was written. The refused form then
comes back (HTTP 422) with everything typed and, when the words call for it, the support
content at the top of the page. The tool's own use case screens the saved entry again;
`safety.rules.repeats` makes that the same alert, now pointing at the entry, so nobody
is paged twice for the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.identity.models import User
from mend.platform.errors import Invalid
from mend.safety.rules import needs_support_page
from mend.safety.screening import TextScreening
from mend.safety.support import SUPPORT_URL, offer_support
from mend.safety.writing import Writing, screen_first, worst

__all__ = ["SUPPORT_URL", "Writing", "after_save", "save_screened"]

Saved = TypeVar("Saved")


def after_save(level: str, target: str, *, mark: str | None = "saved=1") -> Response:
    """Where a save goes next: after words that need it the very next page is support,
    never a plain "saved"; after concerning words the page offers a gentle check-in.
    `mark` is how `target` is told it was saved (None when `target` says so itself)."""
    if needs_support_page(level):
        return RedirectResponse(SUPPORT_URL, status_code=303)
    marks = [m for m in (mark, "check=1" if level == "concern" else None) if m]
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(
        f"{target}{joiner}{'&'.join(marks)}" if marks else target, status_code=303
    )


def save_screened(
    request: Request,
    db: Session,
    *,
    client: Client,
    author: User,
    writing: Writing,
    now: datetime,
    base_url: str,
    save: Callable[[], tuple[Saved, TextScreening | None]],
    then: Callable[[Saved, str], Response],
    refused: Callable[[Invalid], Response],
) -> Response:
    """Save a client's form: screen its writing first (committed whatever happens next),
    then `save` checks and saves the rest in a new transaction.

    Saved: commit and answer `then(saved, level)`, level being the worst screening of the
    writing. Refused (`save` raised Invalid): nothing of the form is saved and `refused`
    renders it again with the message; when the words need the support page, its content
    is put at the top of that page first (see `safety.support.offer_support`)."""
    level = screen_first(db, client=client, writing=writing, now=now, base_url=base_url)
    try:
        saved, screening = save()
    except Invalid as exc:
        db.rollback()
        if needs_support_page(level):
            offer_support(request, db, client, actor=author, now=now)
        return refused(exc)
    db.commit()
    return then(saved, worst(level, screening.level if screening else "none"))
