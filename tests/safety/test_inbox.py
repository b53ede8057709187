"""The alert inbox: one row per client, with how many alerts are open, the most severe,
how long the oldest has waited and the words or answers that fired; each alert is behind
a <details> (no JavaScript needed). Most severe first, then longest waiting."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity.models import Role, User
from mend.platform.clock import FixedClock
from mend.safety.models import Alert
from mend.safety.screening import screen_text
from tests.support.personas import Personas, password_hash
from tests.support.web import Browser

URGENT = "I've decided to kill myself tonight, I have the pills ready"
CONCERN = "Honestly everyone would be better off without me."


def _carols_second_client(db: Session, people: Personas, clock: FixedClock) -> Client:
    user = User(
        organisation_id=people.org.id,
        email="amy@harbour.test",
        name="Amy Second",
        role=Role.CLIENT,
        password_hash=password_hash(),
        is_active=True,
        created_at=clock.now(),
    )
    db.add(user)
    db.flush()
    client = Client(
        organisation_id=people.org.id,
        user_id=user.id,
        created_at=clock.now(),
        created_by_id=people.carol.id,
    )
    db.add(client)
    db.flush()
    db.add(
        CareTeamMember(
            client_id=client.id,
            clinician_id=people.carol.id,
            role=TeamRole.PRIMARY,
            added_at=clock.now(),
        )
    )
    db.flush()
    return client


def _journal(db: Session, client: Client, clock: FixedClock, entry_id: int, text: str) -> None:
    screen_text(
        db,
        client=client,
        source_kind="journal",
        source_id=entry_id,
        source_label="a journal entry (private)",
        text=text,
        now=clock.now(),
        base_url="http://mend.test",
    )


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html.unescape(page), flags=re.DOTALL)[1:]


def test_inbox_shows_one_row_per_client_most_severe_first(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    amy = _carols_second_client(db, people, clock)
    _journal(db, amy, clock, 1, CONCERN)  # the oldest alert, but only a concern
    clock.advance(hours=2)
    _journal(db, people.kim, clock, 2, URGENT)
    clock.advance(minutes=30)
    _journal(db, people.kim, clock, 3, "I am going to end my life.")
    _journal(db, people.kim, clock, 4, CONCERN)
    db.commit()

    page = as_user(people.carol).get("/clinic/alerts").text

    kim, second = _rows(page)
    assert "Kim Client" in kim and "Amy Second" in second
    assert "3 alerts" in kim and 'badge sev-urgent">urgent' in kim
    assert "Oldest raised 30 min ago" in kim  # the first urgent alert, half an hour ago
    # What fired, from the latest alerts, before anyone opens the details.
    fired = kim[: kim.index("<details>")]
    assert "end my life" in fired and "kill myself" in fired
    details = kim[kim.index("<details>") :]
    assert details.count('href="/clinic/alerts/') == 3
    assert details.index("sev-urgent") < details.index("sev-concern")
    assert "1 alert" in second and "Oldest raised 2 h 30 min ago" in second
    assert "<script" not in page


def test_resolved_alerts_leave_the_inbox_unless_asked_for(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    from mend.safety import service

    _journal(db, people.kim, clock, 1, URGENT)
    _journal(db, people.kim, clock, 2, "I am going to end my life.")
    first = db.query(Alert).order_by(Alert.id).first()
    assert first is not None
    service.resolve(db, alert=first, user=people.carol, note="Spoke with Kim.", now=clock.now())
    db.commit()
    carol = as_user(people.carol)
    [kim] = _rows(carol.get("/clinic/alerts").text)
    assert "1 alert" in kim and "2 alerts" not in kim
    [kim] = _rows(carol.get("/clinic/alerts?show=all").text)
    assert "2 alerts" in kim and "(1 not resolved)" in kim


def test_other_clinicians_inbox_holds_nothing_of_kims(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _journal(db, people.kim, clock, 1, URGENT)
    clock.advance(minutes=1)
    db.commit()
    for outsider in (people.dan, people.erin):
        page = as_user(outsider).get("/clinic/alerts").text
        assert "Kim" not in page and "kill myself" not in page
        assert "No open alerts" in page
    assert "Kim" in as_user(people.carol).get("/clinic/alerts").text
