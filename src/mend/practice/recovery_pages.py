"""My recovery toolkit: one printable page, built from the client's own data, to keep what
helps close at hand: the tools that lowered their distress most, their warning signs and
reasons for living from the safety plan, their safe people, and what they have read.

Coping statistics and safe people come from modules built alongside this one
(`mend.practice.coping` and `mend.practice.network`). They are imported when the page is
drawn, and a gentle placeholder stands in while either is absent, so this page never
depends on another feature being installed. Their results are read through small
adapters that accept objects or mappings, and links are kept only if they stay in Mend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.platform import audit
from mend.practice import homework
from mend.practice import homework_rules as rules
from mend.safety import plans
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import ClientUser
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_LINES = 12


@dataclass(frozen=True)
class Line:
    text: str
    detail: str = ""
    url: str | None = None
    # (label, href) buttons: "Call", "Text", "Email" for a safe person
    actions: tuple[tuple[str, str], ...] = ()


_TOOL_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
_CONTACT = re.compile(r"^(?:tel:\+?[0-9]{3,20}|sms:\+?[0-9]{3,20}|mailto:[^\s\"'<>]{3,254})$")


def _field(obj: object, names: Iterable[str]) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return None


def _items(found: object) -> list[object]:
    if found is None or isinstance(found, str | bytes | Mapping) or not isinstance(found, Iterable):
        return []
    return list(found)[:MAX_LINES]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def helpful_lines(found: object) -> list[Line]:
    """The coping module's helpful tools as lines. Reads `name` (or label/title), `tool_id`
    for the link, `average_drop` and `sessions` when they are there; skips the rest."""
    lines = []
    for item in _items(found):
        if isinstance(item, str):
            lines.append(Line(item))
            continue
        name = _field(item, ("name", "label", "title"))
        tool_id = _field(item, ("tool_id", "tool", "id"))
        if name is None and tool_id is None:
            continue
        url = f"/me/coping/{tool_id}" if tool_id and _TOOL_ID.match(str(tool_id)) else None
        drop = _number(_field(item, ("average_drop",)))
        sessions = _number(_field(item, ("sessions", "times", "rated")))
        detail = ""
        if drop is not None and drop > 0:
            detail = f"Your distress went down by {round(drop, 1):g} on average"
            if sessions:
                detail += f" over {int(sessions)} {'time' if sessions == 1 else 'times'}"
            detail += "."
        lines.append(Line(str(name or tool_id), detail, url))
    return lines


def people_lines(found: object) -> list[Line]:
    """The network module's safe people as lines: `name`, `relationship`, and call, text
    or email buttons when it gives `call_href`, `sms_href` or `email_href`."""
    if isinstance(found, Mapping) or (found is not None and not isinstance(found, Iterable)):
        found = _field(found, ("safe_people", "safe"))
    lines = []
    for item in _items(found):
        name = item if isinstance(item, str) else _field(item, ("name", "label"))
        if name is None:
            continue
        actions = []
        if not isinstance(item, str):
            for label, key in (
                ("Call", "call_href"),
                ("Text", "sms_href"),
                ("Email", "email_href"),
            ):
                href = _field(item, (key,))
                if href is not None and _CONTACT.match(str(href)):
                    actions.append((label, str(href)))
        relationship = None if isinstance(item, str) else _field(item, ("relationship",))
        lines.append(
            Line(str(name), "" if relationship is None else str(relationship), None, tuple(actions))
        )
    return lines


def coping_lines(db: Session, client: Client) -> list[Line] | None:
    """The coping tools that helped most, or None while the coping module is absent."""
    try:
        from mend.practice.coping import helpful_tools  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return helpful_lines(helpful_tools(db, client))


def safe_people(db: Session, client: Client) -> list[Line] | None:
    """The client's safe people, or None while the network module is absent."""
    try:
        from mend.practice.network import network_summary  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return people_lines(network_summary(db, client))


def practice_lines(db: Session, client: Client) -> list[Line]:
    """Homework whose before/after ratings show distress going down, biggest drop first."""
    titles = homework.titles()
    lines = []
    for effect in rules.helpful_from_ratings(homework.rated(db, client)):
        tool = rules.tool_for(effect.tool, titles)
        drop = -effect.average_change
        times = "once" if effect.times == 1 else f"{effect.times} times"
        lines.append(
            Line(
                tool.label,
                f"Your distress went down by {round(drop, 1):g} on average ({times}).",
                tool.url,
            )
        )
    return lines


@router.get("/me/recovery", response_class=HTMLResponse)
async def my_recovery(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    plan = plans.current_plan(db, client, actor=user, now=now)
    content = plan.content if plan else plans.empty_content()
    reads = homework.reads_for(db, client)[:MAX_LINES]
    titles = homework.titles()
    context = {
        "title": "My recovery toolkit",
        "coping": coping_lines(db, client),
        "practice": practice_lines(db, client),
        "warning_signs": [e.text for e in content.get("warning_signs", ())],
        "reasons": [e.text for e in content.get("reasons", ())],
        "people": safe_people(db, client),
        "reads": [
            Line(titles[r.article_id], url=f"/me/library/{r.article_id}")
            for r in reads
            if r.article_id in titles
        ],
        "printed": now,
    }
    # The coping and network modules leave auditing to the page that shows their data.
    audit.record(
        db,
        at=now,
        actor_id=user.id,
        organisation_id=client.organisation_id,
        action="recovery_toolkit.read",
        entity="client",
        entity_id=client.id,
        client_id=client.id,
        detail={
            "coping": context["coping"] is not None,
            "people": context["people"] is not None,
        },
    )
    db.commit()
    return render(request, "practice/recovery_toolkit.html", context)
