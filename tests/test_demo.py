"""The demo organisation tells the truth of practice, computed by the real scorer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care import access
from mend.demo import load_demo
from mend.identity.models import User
from mend.measures import progress
from mend.platform.clock import FixedClock
from mend.web.clinic import caseload_by_risk


def _phq9_change(rows: list[progress.CaseloadRow]) -> dict[str, str | None]:
    out = {}
    for row in rows:
        for instrument, _admin, change in row.latest:
            if instrument.id == "phq9":
                out[row.client.name.split()[0]] = change.category if change else None
    return out


def test_demo_has_improving_stuck_deteriorating_and_flagged_clients(
    db: Session, clock: FixedClock
) -> None:
    assert load_demo(db, clock.now())
    db.commit()
    rivera = db.scalar(select(User).where(User.email == "dr.rivera@example.org"))
    assert rivera is not None
    clients = list(db.scalars(access.visible_clients(rivera)))
    assert len(clients) == 6  # primary for four, covering for two
    rows = progress.caseload_rows(db, clients, clock.now())
    change = _phq9_change(rows)
    assert change["Alex"] == "recovered"
    assert change["Taylor"] == "recovered"
    assert change["Jordan"] == "no reliable change"
    assert change["Riley"] == "reliably deteriorated"
    flagged = [r.client.name for r in rows if any(f["number"] == 9 for f in r.flags)]
    assert flagged == ["Casey Diaz"]
    ordered, alerts = caseload_by_risk(db, clients, clock.now())
    # Casey's open alerts (from the PHQ-9) put her first; Riley, deteriorating, next.
    assert [r.client.name.split()[0] for r in ordered[:2]] == ["Casey", "Riley"]
    assert alerts[ordered[0].client.id].highest == "high"  # PHQ-9 item 9
    assert all(r.due == 2 for r in rows)  # this week's PHQ-9 and GAD-7 are waiting
    phq9_history = next(
        entry for entry in progress.progress_for(db, clients[0]) if entry.instrument.id == "phq9"
    )
    assert len(phq9_history.points) == 16


def test_demo_alerts_come_from_the_real_safety_rules(db: Session, clock: FixedClock) -> None:
    from mend.safety.models import Alert
    from mend.safety.plans import current_plan

    load_demo(db, clock.now())
    db.commit()
    alerts = list(db.scalars(select(Alert)))
    rules = {a.rule for a in alerts}
    assert {"phq9.item9", "phq9.total"} <= rules
    # Anything else comes from the crisis screener reading Casey's shared journal entry, and
    # says which screener decided.
    for alert in alerts:
        if alert.rule not in ("phq9.item9", "phq9.total"):
            assert alert.rule.startswith("text.") and alert.source_kind == "journal"
            assert alert.screener_version
    casey = db.scalars(select(User).where(User.email == "casey@example.org")).one()
    client = db.scalars(access.visible_clients(casey)).one()
    plan = current_plan(db, client, actor=casey, now=clock.now())
    assert plan is not None and any(s.entries for s in plan.sections)


def test_demo_is_loaded_only_once(db: Session, clock: FixedClock) -> None:
    assert load_demo(db, clock.now())
    assert not load_demo(db, clock.now())


def test_demo_client_alex_has_practised_between_sessions(db: Session, clock: FixedClock) -> None:
    from mend.practice import checkins, coping, homework

    load_demo(db, clock.now())
    db.commit()
    alex_user = db.scalars(select(User).where(User.email == "alex@example.org")).one()
    alex = db.scalars(access.visible_clients(alex_user)).one()
    assert len(checkins.checkins(db, alex)) == 14
    [helpful] = coping.helpful_tools(db, alex)
    assert helpful.sessions == 4 and helpful.average_drop > 0
    statuses = sorted(v.status for v in homework.for_client(db, alex, clock.now()))
    assert statuses == ["done", "due"]
