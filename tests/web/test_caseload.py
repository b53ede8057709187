"""The caseload, sorted by risk: a client with open alerts of any source comes before
everyone without, and their flags say so ("4 urgent alerts"), never "none"."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity.models import Role, User
from mend.measures import service as measures
from mend.platform.clock import FixedClock
from mend.safety.screening import screen_text
from tests.support.personas import Personas, password_hash
from tests.support.web import Browser

URGENT = "I've decided to kill myself tonight, I have the pills ready"


def _recovered_client(db: Session, people: Personas, clock: FixedClock) -> Client:
    """Aaron: a severe PHQ-9 at first, none now. Alphabetically first in Carol's caseload."""
    user = User(
        organisation_id=people.org.id,
        email="aaron@harbour.test",
        name="Aaron Recovered",
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
    for answers in ([3, 3, 3, 3, 3, 3, 2, 2, 0], [0] * 9):
        assignment = measures.assign(
            db,
            clinician=people.carol,
            client=client,
            instrument_id="phq9",
            interval_days=None,
            share_scores=False,
            now=clock.now(),
        )
        measures.save_answers(
            db,
            client=client,
            actor=user,
            assignment_id=assignment.id,
            answers=list(answers),
            submit=True,
            now=clock.now(),
        )
        clock.advance(days=14)
    db.commit()
    return client


def _urgent_journal_alerts(db: Session, client: Client, clock: FixedClock, n: int) -> None:
    for entry_id in range(1, n + 1):
        screen_text(
            db,
            client=client,
            source_kind="journal",
            source_id=entry_id,
            source_label="a journal entry (private)",
            text=URGENT,
            now=clock.now(),
            base_url="http://mend.test",
        )
    db.commit()


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page, flags=re.DOTALL)


def test_client_with_four_open_urgent_alerts_is_above_a_recovered_client(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _recovered_client(db, people, clock)
    _urgent_journal_alerts(db, people.kim, clock, 4)

    page = as_user(people.carol).get("/clinic").text

    rows = _rows(page)
    names = [
        next(n for n in ("Aaron", "Kim") if n in row) for row in rows if '<th scope="row">' in row
    ]
    assert names == ["Kim", "Aaron"]
    kim, aaron = rows[1], rows[2]
    assert "4 urgent alerts" in kim and "sev-urgent" in kim and "none" not in kim
    assert "recovered" in aaron and "none" in aaron
    assert "4 open alerts" in page


def test_another_clinicians_caseload_shows_nothing_of_the_alerts(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _urgent_journal_alerts(db, people.kim, clock, 2)
    for outsider in (people.dan, people.erin):
        page = as_user(outsider).get("/clinic").text
        assert "Kim" not in page
        assert not re.search(r"\d+ (urgent|open) alerts?", page)


def test_acknowledged_alerts_still_count_until_resolved(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    from mend.safety import service
    from mend.safety.models import Alert

    _urgent_journal_alerts(db, people.kim, clock, 2)
    first, second = db.query(Alert).order_by(Alert.id).all()
    service.acknowledge(db, alert=first, user=people.carol, now=clock.now())
    service.resolve(db, alert=second, user=people.carol, note="Called her.", now=clock.now())
    db.commit()
    page = as_user(people.carol).get("/clinic").text
    assert "1 urgent alert" in page and "2 urgent alerts" not in page
