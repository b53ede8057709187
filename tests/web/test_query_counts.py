"""List pages issue the same number of queries for one client as for many (no N+1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity.models import Role, User
from mend.measures import service as measures
from mend.platform.clock import FixedClock
from mend.safety.screening import screen_text
from tests.support.personas import Personas, password_hash
from tests.support.web import Browser


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _client_with_history(db: Session, people: Personas, clock: FixedClock, n: int) -> None:
    user = User(
        organisation_id=people.org.id,
        email=f"extra{n}@harbour.test",
        name=f"Extra {n}",
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
    assignment = measures.assign(
        db,
        clinician=people.carol,
        client=client,
        instrument_id="phq9",
        interval_days=7,
        share_scores=False,
        now=clock.now(),
    )
    measures.save_answers(
        db,
        client=client,
        actor=user,
        assignment_id=assignment.id,
        answers=[1] * 9,
        submit=True,
        now=clock.now(),
    )
    # Open alerts are part of every caseload row: each client has one.
    screen_text(
        db,
        client=client,
        source_kind="journal",
        source_id=n,
        source_label="a journal entry (private)",
        text="I have decided to kill myself tonight.",
        now=clock.now(),
        base_url="http://mend.test",
    )
    db.commit()


def test_caseload_query_count_does_not_grow_with_clients(
    engine: Engine,
    db: Session,
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    _client_with_history(db, people, clock, 1)
    carol = as_user(people.carol)
    with count_queries(engine) as one:
        assert carol.get("/clinic").status_code == 200
    for n in (2, 3, 4):
        _client_with_history(db, people, clock, n)
    with count_queries(engine) as four:
        page = carol.get("/clinic")
    assert "Extra 4" in page.text and page.text.count("1 urgent alert<") == 4
    assert len(four) == len(one)
