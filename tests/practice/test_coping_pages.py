"""The coping toolkit over its real pages: a client rates their distress, does an exercise
and rates it again; the toolkit learns what helps; free text is encrypted and screened;
the care team sees a table and chart; nobody else sees anything."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.models import Base
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice import coping, coping_pages
from mend.practice import coping_catalogue as catalogue
from mend.practice.coping import CopingPlace, CopingSession
from mend.safety.models import Alert
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser
from tests.web.test_policy import _has_policy, api_routes

HOME = "/me/coping"
URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
NOTE = "Counting the breaths helped me notice my shoulders."
PLACE = {
    "name": "The lighthouse cove",
    "sights": "grey-green water and a red lighthouse",
    "sounds": "gulls and slow waves",
    "touch": "cool sand under my feet",
    "smells": "",
    "cue": "tide",
}


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == HOME for r in app.routes):
        app.include_router(coping_pages.router)
    return app


def start(client: Browser, tool: str, before: str = "7") -> str:
    response = client.post(f"{HOME}/{tool}", {"before": before})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(rf"{HOME}/{tool}/\d+", location)
    return str(location)


def finish(client: Browser, url: str, after: str = "4", note: str = "") -> str:
    response = client.post(url, {"after": after, "note": note})
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def only_session(db: Session) -> CopingSession:
    db.expire_all()
    return db.scalars(select(CopingSession)).one()


def count(db: Session, table: type[object]) -> int:
    return db.scalar(select(func.count()).select_from(table)) or 0


def actions(db: Session) -> list[str]:
    """The toolkit's audit events (signing in records its own)."""
    return list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("coping%"))
            .order_by(AuditEvent.id)
        )
    )


class _Fields(HTMLParser):
    """The names of the fields inside forms and of any outside one (which a browser
    never sends)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside: list[str] = []
        self.outside: list[str] = []
        self.unnamed_outside = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._depth += 1
        elif tag in ("input", "textarea", "select"):
            if self._depth:
                self.inside.append(a.get("name") or "")
            elif a.get("name"):
                self.outside.append(a["name"] or "")
            else:
                self.unnamed_outside += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._depth -= 1


# --- the client's flow ---


def test_toolkit_lists_every_tool_with_what_has_helped(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get(HOME)
    assert page.status_code == 200
    for tool in catalogue.TOOLS:
        assert f'href="{HOME}/{tool.id}"' in page.text
        assert tool.description.split(":")[0] in page.text.replace("&#39;", "'")
    assert page.text.count("Not tried yet.") == len(catalogue.TOOLS)
    assert "What helps you most" not in page.text  # nothing rated twice yet
    assert '<link rel="stylesheet" href="/static/coping.css">' in page.text


def test_a_breathing_exercise_from_rating_to_rating(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    page = kim.get(f"{HOME}/box-breathing").text
    assert "Right now, how distressed do you feel?" in page
    assert page.count('name="before"') == 11 and "<legend>" in page
    url = start(kim, "box-breathing", "7")

    exercise = kim.get(url).text
    # Every step is on the page, with the pacer, its words, and the closing form.
    for anchor in ("step-start", "step-breathe", "step-after"):
        assert f'id="{anchor}"' in exercise
    assert 'href="#step-breathe"' in exercise and "coping-pattern-box" in exercise
    assert "In for 4, hold for 4, out for 4, hold for 4." in exercise
    assert "Breathe in</strong>, counting slowly: 1, 2, 3, 4" in exercise  # reduced motion
    assert f'action="{url}#step-after"' in exercise
    assert '<script src="/static/coping.js" defer></script>' in exercise
    assert "Your care team can see your ratings and this note" in exercise
    assert "checks what you write" in exercise

    clock.advance(minutes=4)
    location = finish(kim, url, "4", NOTE)
    assert location == f"{url}?saved=1"
    done = kim.get(location).text
    assert "Saved. Thank you for taking this time for yourself." in done
    assert "Your distress came down 3 points." in done and NOTE in done
    assert "If things still feel hard" not in done

    session = only_session(db)
    assert (session.tool, session.distress_before, session.distress_after) == (
        "box-breathing",
        7,
        4,
    )
    assert session.started_at == clock.now() - timedelta(minutes=4)
    assert session.finished_at == clock.now() and session.minutes == 4
    assert (session.note, session.screening_level) == (NOTE, "none")
    assert actions(db) == ["coping.session.start", "coping.session.finish"]
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity == "coping_session")).all()
    assert {e.client_id for e in events} == {people.kim.id}
    assert events[0].detail == {"tool": "box-breathing", "before": 7}
    assert count(db, Alert) == 0


def test_the_toolkit_learns_what_helps_most(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    for tool, before, after in (
        ("grounding", "8", "4"),
        ("grounding", "6", "3"),
        ("box-breathing", "5", "4"),
        ("box-breathing", "6", "5"),
        ("self-compassion", "6", "2"),  # once only: not ranked yet
    ):
        finish(kim, start(kim, tool, before), after)
    page = kim.get(HOME).text
    helps = page.split("What helps you most", 1)[1].split("</ol>", 1)[0]
    assert helps.index("5-4-3-2-1 grounding") < helps.index("Box breathing")
    assert "down 3.5 points (2 times)" in helps and "Self-compassion" not in helps
    assert "Rated once: your distress went down 4 points." in page
    assert "Rated 2 times: on average your distress went down 1 point" in page

    helpful = coping.helpful_tools(db, people.kim)
    assert [(h.tool_id, h.name, h.sessions, h.average_drop) for h in helpful] == [
        ("grounding", "5-4-3-2-1 grounding", 2, 3.5),
        ("box-breathing", "Box breathing", 2, 1.0),
    ]
    assert helpful[0].url == f"{HOME}/grounding"
    assert helpful[0].summary == "On average your distress went down 3.5 points (2 times)."
    assert coping.helpful_tools(db, people.lee) == []


def test_stopping_early_saves_without_an_after_rating(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    url = start(kim, "muscle-relaxation", "6")
    done = kim.get(finish(kim, url, "")).text
    assert "You stopped before the end, and that's okay." in done.replace("&#39;", "'")
    assert "If things still feel hard" in done
    session = only_session(db)
    assert session.distress_after is None and session.finished_at is not None
    assert "stopped early" in kim.get(f"{HOME}/history").text
    assert "Started once, with no rating afterwards yet." in kim.get(HOME).text


def test_an_unrated_exercise_can_be_rated_later_but_not_much_later(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    url = start(kim, "grounding", "8")
    history = kim.get(f"{HOME}/history").text
    assert f'href="{url}#step-after"' in history and "not rated yet" in history
    clock.advance(hours=13)
    kim = as_user(people.kim.user)  # a new visit: the first sign-in has long expired
    assert f'href="{url}#step-after"' not in kim.get(f"{HOME}/history").text
    assert "so it can't be rated now" in kim.get(url).text
    refused = kim.post(url, {"after": "3", "note": ""})
    assert refused.status_code == 422 and "can&#39;t be rated now" in refused.text
    session = only_session(db)
    assert session.finished_at is None and session.distress_after is None


def test_grounding_steps_are_all_on_one_page_and_jottings_are_never_sent(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    page = kim.get(start(kim, "grounding", "5")).text
    ids = re.findall(r'<section id="(step-[a-z-]+)" class="coping-step', page)
    assert ids == [
        "step-start",
        "step-see",
        "step-feel",
        "step-hear",
        "step-smell",
        "step-taste",
        "step-arrived",
        "step-after",
    ]
    assert "Step 2 of 8" in page and "Five things you can see" in page
    fields = _Fields()
    fields.feed(page)
    # The five jotting boxes sit outside every form and have no name: nothing to send.
    assert fields.unnamed_outside == 5 and fields.outside == []
    assert "Mend doesn't save or send them" in page
    assert sorted(set(fields.inside)) == ["after", "csrf_token", "note"]


def test_the_calm_place_is_described_then_visited_in_the_clients_words(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    first = kim.get(f"{HOME}/calm-place").text
    assert "Describe my place" in first and 'name="before"' not in first
    form = kim.get(coping_pages.PLACE_URL).text
    assert "not linked with anyone who has hurt you" in form
    assert "Your calm place is private" in form and "check what you write" in form
    for spec in catalogue.PLACE_FIELDS:
        assert f'<label for="place-{spec.id}">' in form

    response = kim.post(coping_pages.PLACE_URL, PLACE)
    assert response.headers["location"] == f"{HOME}/calm-place?saved=1"
    assert "Your place is saved." in kim.get(response.headers["location"]).text
    place = db.scalars(select(CopingPlace)).one()
    assert place.words == {k: v for k, v in PLACE.items() if v}

    page = kim.get(start(kim, "calm-place", "6")).text
    for words in ("The lighthouse cove", "gulls and slow waves", "cool sand under my feet"):
        assert f"<p>{words}</p>" in page
    assert "<p>tide</p>" in page and "Your word:" in page

    # Reused next time, and editable.
    assert "The lighthouse cove" in kim.get(coping_pages.PLACE_URL).text
    kim.post(coping_pages.PLACE_URL, {**PLACE, "cue": "warm light"})
    db.expire_all()
    assert db.scalars(select(CopingPlace)).one().words["cue"] == "warm light"
    assert count(db, CopingPlace) == 1
    assert [a for a in actions(db) if a.startswith("coping.place")] == [
        "coping.place.create",
        "coping.place.update",
    ]


# --- free text: encrypted, screened, and the client told ---


def test_notes_and_places_are_encrypted_at_rest(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    finish(kim, start(kim, "self-compassion"), "5", NOTE)
    kim.post(coping_pages.PLACE_URL, PLACE)
    raw_note = db.connection().exec_driver_sql("SELECT note FROM coping_sessions").scalar()
    raw_place = db.connection().exec_driver_sql("SELECT words FROM coping_places").scalar()
    assert raw_note and "shoulders" not in raw_note
    assert raw_place and "lighthouse" not in raw_place and "gulls" not in raw_place
    assert only_session(db).note == NOTE


def test_an_urgent_note_goes_straight_to_support_and_raises_an_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    url = start(kim, "long-exhale-breathing", "9")
    assert finish(kim, url, "9", URGENT) == "/me/support?told=1"
    alert = db.scalars(select(Alert)).one()
    assert (alert.severity, alert.source_kind, alert.client_id) == (
        "urgent",
        "coping",
        people.kim.id,
    )
    assert alert.source_id == str(only_session(db).id)
    assert "Long out-breath" in alert.source_label
    assert only_session(db).screening_level == "urgent"  # the note is kept all the same


def test_a_concerning_note_is_saved_with_a_gentle_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    url = start(kim, "grounding", "7")
    location = finish(kim, url, "6", CONCERN)
    assert location == f"{url}?saved=1&check=1"
    assert "find support right now" in kim.get(location).text
    assert db.scalars(select(Alert)).one().severity == "concern"


def test_an_urgent_calm_place_goes_to_support_and_raises_an_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post(coping_pages.PLACE_URL, {"name": URGENT})
    assert response.headers["location"] == "/me/support?told=1"
    alert = db.scalars(select(Alert)).one()
    assert (alert.severity, alert.source_kind) == ("urgent", "coping_place")
    assert db.scalars(select(CopingPlace)).one().screening_level == "urgent"


# --- bad input: a clear message, 422, nothing changed ---


@pytest.mark.parametrize(
    ("before", "message"),
    [
        ("", "Please choose a number from 0 to 10"),
        ("11", "Please choose a whole number from 0 to 10"),
        ("-2", "Please choose a whole number from 0 to 10"),
        ("calm", "Please choose a whole number from 0 to 10"),
    ],
)
def test_a_bad_before_rating_is_refused(
    before: str,
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.kim.user).post(f"{HOME}/grounding", {"before": before})
    assert response.status_code == 422
    assert message in response.text and 'role="alert"' in response.text
    assert count(db, CopingSession) == 0 and actions(db) == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"after": "12", "note": ""}, "whole number from 0 to 10"),
        ({"after": "4.5", "note": ""}, "whole number from 0 to 10"),
        ({"after": "3", "note": "x" * 1001}, "up to 1,000 characters"),
    ],
)
def test_a_bad_closing_rating_is_refused_and_the_exercise_stays_open(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    kim = as_user(people.kim.user)
    url = start(kim, "box-breathing", "6")
    response = kim.post(url, form)
    assert response.status_code == 422
    assert message in response.text and 'id="step-after"' in response.text
    session = only_session(db)
    assert (session.finished_at, session.distress_after, session.note) == (None, None, None)
    assert actions(db) == ["coping.session.start"]


def test_a_saved_exercise_cannot_be_saved_again(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    url = start(kim, "grounding", "6")
    finish(kim, url, "2", NOTE)
    again = kim.post(url, {"after": "9", "note": "changed"})
    assert again.status_code == 422 and "already saved" in again.text
    session = only_session(db)
    assert (session.distress_after, session.note) == (2, NOTE)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Please describe at least one thing about your place"),
        ({"name": "   ", "cue": "\n"}, "Please describe at least one thing about your place"),
        ({"name": "x" * 301}, "can be up to 300 characters"),
    ],
)
def test_a_bad_calm_place_is_refused(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.kim.user).post(coping_pages.PLACE_URL, form)
    assert response.status_code == 422 and message in response.text
    assert count(db, CopingPlace) == 0


def test_unknown_tools_and_sessions_are_not_found(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    assert kim.get(f"{HOME}/juggling").status_code == 404
    assert kim.post(f"{HOME}/juggling", {"before": "5"}).status_code == 404
    url = start(kim, "grounding")
    session_id = url.rsplit("/", 1)[1]
    # The right session under another tool's address is not found either.
    assert kim.get(f"{HOME}/box-breathing/{session_id}").status_code == 404
    assert kim.get(f"{HOME}/grounding/999999").status_code == 404


# --- who may see what ---


def test_nobody_else_can_see_or_change_a_clients_coping_records(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    # Kim's records exist first; then everyone else tries.
    kim = as_user(people.kim.user)
    finish(kim, start(kim, "grounding", "8"), "3", NOTE)
    open_url = start(kim, "box-breathing", "7")
    kim.post(coping_pages.PLACE_URL, PLACE)
    before = actions(db)

    lee = as_user(people.lee.user)
    assert lee.get(open_url).status_code == 404
    assert lee.post(open_url, {"after": "0", "note": "mine now"}).status_code == 404
    assert "lighthouse" not in lee.get(coping_pages.PLACE_URL).text
    assert NOTE not in lee.get(f"{HOME}/history").text
    assert "Not tried yet." in lee.get(HOME).text
    for outsider in (people.dan, people.erin):
        other = as_user(outsider)
        assert other.get(f"/clinic/clients/{people.kim.id}/coping").status_code == 404
        assert other.get(f"/clinic/clients/{people.kim.id}/coping/chart.svg").status_code == 404
    carol = as_user(people.carol)
    assert carol.get(HOME).status_code == 404  # clinicians have no toolkit of their own
    assert as_user(people.admin).get(f"/clinic/clients/{people.kim.id}/coping").status_code == 404

    db.expire_all()
    sessions = db.scalars(select(CopingSession).order_by(CopingSession.id)).all()
    assert [(s.client_id, s.distress_after, s.note) for s in sessions] == [
        (people.kim.id, 3, NOTE),
        (people.kim.id, None, None),
    ]
    assert db.scalars(select(CopingPlace)).one().words["name"] == PLACE["name"]
    assert actions(db) == before  # nothing was read or changed by anyone else


def test_the_care_team_sees_a_table_and_a_chart_and_the_reads_are_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    finish(kim, start(kim, "grounding", "8"), "4", NOTE)
    finish(kim, start(kim, "grounding", "7"), "4")
    finish(kim, start(kim, "box-breathing", "5"), "6")
    start(kim, "self-compassion", "9")
    kim.post(coping_pages.PLACE_URL, PLACE)

    carol = as_user(people.carol)
    page = carol.get(f"/clinic/clients/{people.kim.id}/coping")
    assert page.status_code == 200
    text = page.text
    assert f'src="/clinic/clients/{people.kim.id}/coping/chart.svg"' in text
    assert 'alt="Average drop in distress per tool (rated sessions): ' in text
    assert "Box breathing -1 (1); 5-4-3-2-1 grounding 3.5 (2)." in text  # toolkit order
    assert NOTE in text  # the client is told their care team sees notes
    assert "lighthouse" not in text  # the calm place is private
    assert "up 1 point" in text and "not finished" in text
    ranked = text.split("What helps most", 1)[1].split("</ol>", 1)[0]
    assert "5-4-3-2-1 grounding: average drop 3.5 over 2 sessions" in ranked
    assert "Box breathing" not in ranked  # rated once

    chart = carol.get(f"/clinic/clients/{people.kim.id}/coping/chart.svg")
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.lstrip().startswith("<?xml") and "<svg" in chart.text

    reads = db.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(["coping.read", "coping_chart.read"]))
    ).all()
    assert [(e.action, e.actor_id, e.client_id) for e in reads] == [
        ("coping.read", people.carol.id, people.kim.id),
        ("coping_chart.read", people.carol.id, people.kim.id),
    ]
    assert len(reads[0].detail["sessions"]) == 4


def test_the_clinicians_page_with_nothing_yet(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/coping").text
    assert "No coping exercises yet." in page and "chart.svg" not in page
    chart = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/coping/chart.svg")
    assert chart.status_code == 200 and "<svg" in chart.text


# --- the pages keep the house rules ---


def test_client_pages_need_no_inline_script_or_style(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post(coping_pages.PLACE_URL, PLACE)
    urls = [HOME, f"{HOME}/history", coping_pages.PLACE_URL]
    for tool in catalogue.TOOLS:
        urls.append(f"{HOME}/{tool.id}")
        url = start(kim, tool.id)
        urls.append(url)
        urls.append(finish(kim, url, "3"))
    for url in urls:
        page = kim.get(url)
        assert page.status_code == 200, url
        assert 'style="' not in page.text, url
        assert re.findall(r"<script(?![^>]*\bsrc=)", page.text) == [], url


def test_every_coping_route_declares_a_policy() -> None:
    routes = list(api_routes(coping_pages.router.routes))
    assert len(routes) == 10
    assert [r.path for r in routes if not _has_policy(r.dependant)] == []


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    mine = (CopingSession.__tablename__, CopingPlace.__tablename__)
    assert [d for d in differences if any(t in repr(d) for t in mine)] == []
