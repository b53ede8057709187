"""Demo data that tells the truth of practice: one organisation, an admin, two
clinicians and six clients with months of weekly PHQ-9 and fortnightly GAD-7 —
some improving, one stuck, one reliably deteriorating, one with a PHQ-9 item 9 flag.

Scores are produced by the real scorer from generated answers, so everything the
demo shows (bands, flags, reliable change) is computed exactly as in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity import service as identity
from mend.identity.models import Organisation, Role, User
from mend.measures.definitions import default_registry
from mend.measures.models import Administration, Assignment
from mend.measures.scoring import score

DEMO_PASSWORD = "mend-demo-password"
DOMAIN = "example.org"
WEEKS = 16


@dataclass(frozen=True)
class DemoClient:
    name: str
    email: str
    clinician: int  # index into the clinicians list
    phq9: tuple[int, ...]  # weekly totals, oldest first
    gad7: tuple[int, ...]  # fortnightly totals
    item9_last: int = 0  # PHQ-9 item 9 answer in the latest administration
    story: str = ""


CLIENTS = (
    DemoClient(
        "Alex Morgan",
        "alex",
        0,
        (19, 18, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8, 8, 7, 6, 6),
        (15, 13, 12, 10, 8, 7, 6, 5),
        story="recovering after a painful break-up",
    ),
    DemoClient(
        "Sam Okafor",
        "sam",
        0,
        (16, 16, 15, 15, 14, 13, 13, 12, 12, 11, 11, 10, 10, 10, 9, 9),
        (12, 11, 11, 10, 9, 9, 8, 8),
        story="slowly improving after workplace exclusion",
    ),
    DemoClient(
        "Jordan Lee",
        "jordan",
        0,
        (14, 15, 14, 15, 14, 14, 15, 14, 15, 14, 14, 15, 14, 14, 15, 14),
        (11, 12, 11, 12, 11, 12, 11, 12),
        story="stuck despite regular attendance",
    ),
    DemoClient(
        "Riley Novak",
        "riley",
        0,
        (9, 9, 10, 11, 11, 12, 13, 13, 14, 15, 16, 16, 17, 18, 18, 19),
        (8, 9, 10, 12, 13, 14, 15, 16),
        story="reliably deteriorating after a betrayal by a close friend",
    ),
    DemoClient(
        "Casey Diaz",
        "casey",
        1,
        (17, 17, 16, 16, 17, 18, 17, 18, 18, 19, 18, 19, 19, 20, 20, 21),
        (13, 13, 14, 14, 15, 15, 16, 16),
        item9_last=1,
        story="item 9 endorsed in the latest PHQ-9",
    ),
    DemoClient(
        "Taylor Brooks",
        "taylor",
        1,
        (12, 11, 11, 10, 9, 9, 8, 7, 7, 6, 5, 5, 4, 4, 3, 3),
        (10, 9, 8, 7, 6, 5, 4, 4),
        story="recovered after rebuilding trust in relationships",
    ),
)


def _spread(total: int, items: int, cap: int, fixed: dict[int, int]) -> list[int | None]:
    """Answer codes summing to `total`, as even as possible, with some items fixed."""
    answers: list[int | None] = [0] * items
    remaining = total - sum(fixed.values())
    free = [i for i in range(items) if i not in fixed]
    for i, value in fixed.items():
        answers[i] = value
    level = 0
    while remaining > 0:
        level += 1
        for i in free:
            if remaining == 0:
                break
            current = answers[i] or 0
            if current < min(level, cap):
                answers[i] = current + 1
                remaining -= 1
        if level > cap:
            raise ValueError("total is out of range for the instrument")
    return answers


def _history(
    db: Session,
    client: Client,
    clinician: User,
    instrument_id: str,
    totals: tuple[int, ...],
    interval_days: int,
    now: datetime,
    item9_last: int = 0,
) -> None:
    definition = default_registry().get(instrument_id)
    # Start one interval further back than the history so the current occurrence is due now.
    starts = now - timedelta(days=interval_days * len(totals)) - timedelta(hours=1)
    assignment = Assignment(
        client_id=client.id,
        instrument_id=instrument_id,
        assigned_by_id=clinician.id,
        interval_days=interval_days,
        starts_at=starts,
        share_scores=False,
        active=True,
        created_at=starts,
    )
    db.add(assignment)
    db.flush()
    items = len(definition.items)
    for k, total in enumerate(totals):
        due = starts + timedelta(days=interval_days * k)
        done = due + timedelta(hours=20 + (k % 3))
        fixed = (
            {8: item9_last}
            if instrument_id == "phq9" and k == len(totals) - 1 and item9_last
            else {}
        )
        if instrument_id == "phq9":
            fixed.setdefault(8, 0)
        answers = _spread(total, items, 3, fixed)
        result = score(definition, answers)
        data = result.to_json_dict()
        db.add(
            Administration(
                assignment_id=assignment.id,
                client_id=client.id,
                instrument_id=instrument_id,
                instrument_version=definition.version,
                due_at=due,
                status="completed",
                answers=answers,
                started_at=done - timedelta(minutes=6),
                updated_at=done,
                completed_at=done,
                total=None if result.total is None else float(result.total),
                band=result.band,
                subscales=data["subscales"],
                flags=data["flags"],
            )
        )


def _latest_phq9(db: Session, client: Client) -> Administration:
    return db.scalars(
        select(Administration)
        .where(Administration.client_id == client.id, Administration.instrument_id == "phq9")
        .order_by(Administration.completed_at.desc())
        .limit(1)
    ).one()


def _safety_story(
    db: Session, client: Client, clinician: User, now: datetime, base_url: str
) -> None:
    """Casey's latest PHQ-9 raised alerts through the real rules; she and her clinician
    wrote a safety plan together; she keeps a journal."""
    from mend.practice import journal
    from mend.safety import plans, screening

    definition = default_registry().get("phq9")
    screening.screen_administration(
        db,
        client=client,
        administration=_latest_phq9(db, client),
        definition=definition,
        now=now - timedelta(days=7) + timedelta(hours=22),
        base_url=base_url,
    )
    content: dict[str, Sequence[plans.Entry]] = dict(plans.new_plan_content(db, client))
    content.update(
        {
            "warning_signs": [
                plans.Entry("Lying awake replaying what was said"),
                plans.Entry("Cancelling plans with friends"),
            ],
            "coping": [
                plans.Entry("Box breathing for five minutes"),
                plans.Entry("A hot shower, then tea"),
            ],
            "distractions": [
                plans.Entry("The climbing gym on Hill Street"),
                plans.Entry("Sam (neighbour)", "555-0142"),
            ],
            "helpers": [plans.Entry("My sister Jo", "555-0187")],
            "safe_environment": [plans.Entry("Jo keeps my spare medication at her place")],
            "reasons": [
                plans.Entry("My niece's birthday in June"),
                plans.Entry("Finishing my course"),
            ],
        }
    )
    plans.save_plan(
        db, client=client, author=clinician, content=content, now=now - timedelta(days=6)
    )
    journal.write(
        db,
        client=client,
        author=client.user,
        body=(
            "Another night replaying the argument. I keep thinking they were right to leave. "
            "Did the breathing for a bit, which took the edge off."
        ),
        mood="sad",
        shared=True,
        now=now - timedelta(days=2),
        base_url=base_url,
    )


def _practice_story(
    db: Session, client: Client, clinician: User, now: datetime, base_url: str
) -> None:
    """Alex's last fortnight between sessions: daily check-ins lifting slowly, breathing
    that helps, and homework done with ratings — all through the tools' own use cases."""
    from mend.practice import checkin_rules, checkins, coping, homework

    moods = (3, 4, 4, 3, 5, 5, 4, 5, 6, 5, 6, 6, 7, 6)
    windows = ("hyper", "hyper", "within", "hypo", "within", "within", "hyper")
    for day, mood in enumerate(moods):
        at = now - timedelta(days=len(moods) - day, hours=-20)
        answers = checkin_rules.read_checkin(
            mood=str(mood),
            window=windows[day % len(windows)],
            signals=[],
            other_signals="",
            sleep=str(6 + day % 3),
            note="",
        )
        checkins.record(
            db, client=client, author=client.user, answers=answers, now=at, base_url=base_url
        )
    for day, (before, after) in enumerate(((7, 4), (6, 3), (5, 3), (6, 2))):
        at = now - timedelta(days=9 - 2 * day, hours=-21)
        session = coping.start(
            db,
            client=client,
            author=client.user,
            tool_id="long-exhale-breathing",
            before=str(before),
            now=at,
        )
        coping.finish(
            db,
            client=client,
            author=client.user,
            tool_id="long-exhale-breathing",
            session_id=session.id,
            after=str(after),
            note="",
            now=at + timedelta(minutes=6),
            base_url=base_url,
        )
    item = homework.assign(
        db,
        client=client,
        clinician=clinician,
        tool="coping:breathing",
        instructions="Once a day, before bed.",
        due_on=(now - timedelta(days=8)).date().isoformat(),
        now=now - timedelta(days=12),
    )
    homework.complete(
        db,
        client=client,
        actor=client.user,
        item_id=item.id,
        distress_before="7",
        distress_after="4",
        note="Easier than I expected.",
        now=now - timedelta(days=9),
        base_url=base_url,
    )
    homework.assign(
        db,
        client=client,
        clinician=clinician,
        tool="reading:rejection-sensitivity",
        instructions="Have a read before our next session.",
        due_on=(now + timedelta(days=4)).date().isoformat(),
        now=now - timedelta(days=1),
    )


def load_demo(db: Session, now: datetime, base_url: str = "http://127.0.0.1:8000") -> bool:
    """Load the demo organisation once; returns False if there is already data."""
    if db.scalar(select(func.count()).select_from(Organisation)):
        return False
    org = identity.create_organisation(db, name="Harbour Street Counselling", locale="US", now=now)
    admin = identity.create_user(
        db,
        organisation=org,
        email=f"admin@{DOMAIN}",
        name="Morgan Admin",
        role=Role.ADMIN,
        now=now,
        actor_id=None,
        password=DEMO_PASSWORD,
    )
    clinicians = [
        identity.create_user(
            db,
            organisation=org,
            email=f"{handle}@{DOMAIN}",
            name=name,
            role=Role.CLINICIAN,
            now=now,
            actor_id=admin.id,
            password=DEMO_PASSWORD,
        )
        for handle, name in (("dr.rivera", "Dr. Ana Rivera"), ("dr.chen", "Dr. Wei Chen"))
    ]
    for demo in CLIENTS:
        clinician = clinicians[demo.clinician]
        user = identity.create_user(
            db,
            organisation=org,
            email=f"{demo.email}@{DOMAIN}",
            name=demo.name,
            role=Role.CLIENT,
            now=now,
            actor_id=clinician.id,
            password=DEMO_PASSWORD,
        )
        client = Client(
            organisation_id=org.id,
            user_id=user.id,
            referral_reason=f"Demo client: {demo.story}.",
            created_at=now - timedelta(weeks=WEEKS + 1),
            created_by_id=clinician.id,
        )
        db.add(client)
        db.flush()
        db.add(
            CareTeamMember(
                client_id=client.id, clinician_id=clinician.id, role=TeamRole.PRIMARY, added_at=now
            )
        )
        other = clinicians[1 - demo.clinician]
        db.add(
            CareTeamMember(
                client_id=client.id, clinician_id=other.id, role=TeamRole.COVERING, added_at=now
            )
        )
        _history(db, client, clinician, "phq9", demo.phq9, 7, now, demo.item9_last)
        _history(db, client, clinician, "gad7", demo.gad7, 14, now)
        db.flush()
        if demo.item9_last:
            _safety_story(db, client, clinician, now, base_url)
        if demo.email == "alex":
            _practice_story(db, client, clinician, now, base_url)
    db.flush()
    return True


def credentials() -> list[tuple[str, str]]:
    people = [
        ("Admin", f"admin@{DOMAIN}"),
        ("Clinician", f"dr.rivera@{DOMAIN}"),
        ("Clinician", f"dr.chen@{DOMAIN}"),
    ]
    people += [("Client", f"{c.email}@{DOMAIN}") for c in CLIENTS]
    return people
