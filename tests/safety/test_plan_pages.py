"""The co-written safety plan over its real pages: the client starts it, the clinician
edits it, every version is kept with who changed what, and nobody else can see it."""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.safety import plan_pages, plans
from mend.safety.plans import SafetyPlan, SafetyPlanVersion
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser
from tests.web.test_policy import _has_policy, api_routes

MINE = "/me/safety-plan"
PHRASE = "Humming the song my grandmother sang"


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == MINE for r in app.routes):
        app.include_router(plan_pages.router)
    return app


class _FormFields(HTMLParser):
    """What a browser would submit from the page's plan form: inputs, text areas and
    chosen options."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "plan-form" in a.get("class", ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.fields)
        ):
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def versions(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(SafetyPlanVersion)) or 0


def edit_url(people: Personas) -> str:
    return f"/clinic/clients/{people.kim.id}/safety-plan/edit"


def start_kims_plan(kim: Browser) -> dict[str, str]:
    """Kim opens the editor, writes a warning sign and a helper, and saves."""
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    fields.update(
        {
            "warning_signs-0-text": "I stop answering messages",
            "coping-0-text": PHRASE,
            "helpers-0-text": "Sam, my brother",
            "helpers-0-phone": "+1 (555) 010-0199",
        }
    )
    response = kim.post(f"{MINE}/edit", fields)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{MINE}?saved=1"
    return fields


def test_client_starts_a_plan_with_crisis_lines_prefilled(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    invitation = kim.get(MINE)
    assert invitation.status_code == 200
    assert "Start my safety plan" in invitation.text
    assert 'href="tel:988"' in invitation.text  # crisis lines are there before any plan
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    assert fields["professionals-0-text"].startswith("988 Suicide & Crisis Lifeline")
    assert fields["professionals-0-phone"] == "988"
    assert fields["base_version"] == "0"
    assert versions(db) == 0  # opening the editor saves nothing

    start_kims_plan(kim)
    page = kim.get(f"{MINE}?saved=1").text
    assert "Your changes are saved." in page
    assert "Your safety plan is yours. You can change it any time." in page
    assert "I stop answering messages" in page and PHRASE in page
    plan = plans.current_plan(db, people.kim)
    assert plan is not None and plan.version == 1 and plan.updated_by == "Kim Client"
    professionals = next(s for s in plan.sections if s.id == "professionals")
    assert [e.phone for e in professionals.entries] == ["988", "741741", "911"]


def test_tap_to_call_and_text_links(people: Personas, as_user: Callable[[User], Browser]) -> None:
    kim = as_user(people.kim.user)
    start_kims_plan(kim)
    page = kim.get(MINE).text
    assert 'href="tel:+15550100199"' in page and 'href="sms:+15550100199"' in page
    assert 'href="tel:988"' in page and 'href="sms:988"' in page
    assert 'href="sms:741741"' in page and 'href="tel:741741"' not in page  # text-only line
    assert 'href="tel:911"' in page and 'href="sms:911"' not in page


def test_clinician_edits_and_history_shows_who_changed_what(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    start_kims_plan(kim)
    clock.advance(hours=1)
    carol = as_user(people.carol)
    fields = form_fields(carol.get(edit_url(people)).text)
    assert fields["coping-0-text"] == PHRASE and fields["base_version"] == "1"
    fields["reasons-0-text"] = "Seeing my niece grow up"
    fields["warning_signs-0-text"] = "I stop answering messages from friends"
    response = carol.post(edit_url(people), fields)
    assert response.status_code == 303
    assert response.headers["location"] == f"/clinic/clients/{people.kim.id}/safety-plan?saved=1"

    chart = carol.get(response.headers["location"]).text
    assert "Version 2" in chart and "Version 1" in chart
    assert "Kim Client" in chart and "Carol Clinician" in chart
    assert "Seeing my niece grow up" in chart
    assert "<del>I stop answering messages</del>" in chart  # the edit shows as a diff
    latest = plans.history(db, people.kim, actor=people.carol, now=clock.now())[0]
    assert (latest.number, latest.author_name, latest.author_role) == (
        2,
        "Carol Clinician",
        "clinician",
    )
    assert latest.changed_titles == [
        plans.SPECS["warning_signs"].title,
        plans.SPECS["reasons"].title,
    ]

    kim = as_user(people.kim.user)  # an hour later, a new visit
    mine = kim.get(f"{MINE}/history").text
    assert "Carol Clinician" in mine and "Version 2" in mine
    assert plans.SPECS["reasons"].title in mine
    assert "Seeing my niece grow up" in kim.get(MINE).text


def test_saving_an_unchanged_plan_adds_no_version(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    start_kims_plan(kim)
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    response = kim.post(f"{MINE}/edit", fields)
    assert response.headers["location"] == f"{MINE}?saved=unchanged"
    # Extra spaces are not a change either.
    fields["coping-0-text"] = f"  {PHRASE}  "
    kim.post(f"{MINE}/edit", fields)
    assert versions(db) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"helpers-0-phone": "call me maybe"}, "doesn't look right"),
        ({"helpers-0-phone": "12"}, "doesn't look right"),
        ({"helpers-1-text": "", "helpers-1-phone": "555 0100"}, "Please add a name"),
        ({"reasons-0-text": "x" * 301}, "301 characters long"),
        ({f"coping-{n}-text": f"thing {n}" for n in range(13)}, "up to 12 entries"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(
    change: dict[str, str],
    message: str,
    people: Personas,
    db: Session,
    as_user: Callable[[User], Browser],
) -> None:
    kim = as_user(people.kim.user)
    start_kims_plan(kim)
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    fields.update(change)
    response = kim.post(f"{MINE}/edit", fields)
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert "Nothing has been saved yet." in response.text
    assert 'class="plan-error"' in response.text  # said again beside the entry itself
    if "12 entries" not in message:
        assert 'aria-invalid="true"' in response.text
    # What was typed comes back, so nothing has to be typed again.
    typed = form_fields(response.text)
    for key, value in change.items():
        if value:
            assert value in typed.values(), key
    assert versions(db) == 1


def test_add_more_rows_rerenders_without_saving(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    assert fields["rows-coping"] == "2" and "coping-2-text" not in fields
    fields["coping-0-text"] = "A walk round the block"
    response = kim.post(f"{MINE}/edit", {**fields, "more": "coping"})
    assert response.status_code == 200
    again = form_fields(response.text)
    assert again["rows-coping"] == "5" and "coping-4-text" in again
    assert again["coping-0-text"] == "A walk round the block"
    assert versions(db) == 0
    full = kim.post(f"{MINE}/edit", {**again, "rows-coping": "12", "more": "coping"}).text
    assert "This part holds up to 12 entries." in full


def test_edits_to_different_sections_merge_and_clashes_are_shown(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    kim, carol = as_user(people.kim.user), as_user(people.carol)
    start_kims_plan(kim)
    kims_form = form_fields(kim.get(f"{MINE}/edit").text)  # Kim opens the editor...
    carols_form = form_fields(carol.get(edit_url(people)).text)
    carols_form["reasons-0-text"] = "My cat, Biscuit"
    assert carol.post(edit_url(people), carols_form).status_code == 303  # ...Carol saves first
    kims_form["safe_environment-0-text"] = "Ask Sam to keep my tablets"
    saved = kim.post(f"{MINE}/edit", kims_form)
    assert saved.headers["location"] == f"{MINE}?saved=merged"
    plan = plans.current_plan(db, people.kim)
    assert plan is not None and plan.version == 3
    texts = {s.id: [e.text for e in s.entries] for s in plan.sections}
    assert texts["reasons"] == ["My cat, Biscuit"]
    assert texts["safe_environment"] == ["Ask Sam to keep my tablets"]

    # Now both change the same part differently: nothing is saved, and Kim sees both.
    kims_form = form_fields(kim.get(f"{MINE}/edit").text)
    carols_form = form_fields(carol.get(edit_url(people)).text)
    carols_form["reasons-0-text"] = "Biscuit and the garden"
    carol.post(edit_url(people), carols_form)
    kims_form["reasons-0-text"] = "Biscuit, and finishing my course"
    clash = kim.post(f"{MINE}/edit", kims_form)
    assert clash.status_code == 409
    assert "Carol Clinician" in clash.text and "Biscuit and the garden" in clash.text
    retry = form_fields(clash.text)
    assert retry["reasons-0-text"] == "Biscuit, and finishing my course"
    assert retry["base_version"] == "4"
    assert versions(db) == 4
    assert kim.post(f"{MINE}/edit", retry).status_code == 303  # saving again keeps Kim's words
    assert versions(db) == 5


def test_print_page(people: Personas, as_user: Callable[[User], Browser]) -> None:
    kim = as_user(people.kim.user)
    blank = kim.get(f"{MINE}/print")
    assert blank.status_code == 200
    assert "plan-sheet-blank" in blank.text and "988" in blank.text  # printable before a plan
    start_kims_plan(kim)
    sheet = kim.get(f"{MINE}/print").text
    assert '<link rel="stylesheet" href="/static/plan.css">' in sheet
    assert PHRASE in sheet and "+1 (555) 010-0199" in sheet
    assert "Emergency: 911" in sheet
    assert kim.get("/static/plan.css").status_code == 200


def test_content_is_encrypted_at_rest(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    start_kims_plan(as_user(people.kim.user))
    raw = db.connection().exec_driver_sql("SELECT content FROM safety_plan_versions").scalar_one()
    assert isinstance(raw, str) and raw.startswith("gAAAA")  # a Fernet token
    assert PHRASE not in raw and "Sam" not in raw and "988" not in raw
    version = db.scalar(select(SafetyPlanVersion))
    assert version is not None
    assert PHRASE in str(version.content)


def test_reads_and_changes_are_audited(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    kim, carol = as_user(people.kim.user), as_user(people.carol)
    start_kims_plan(kim)
    kim.get(MINE)
    kim.get(f"{MINE}/history")
    fields = form_fields(carol.get(edit_url(people)).text)
    fields["reasons-0-text"] = "My garden"
    carol.post(edit_url(people), fields)
    carol.get(f"/clinic/clients/{people.kim.id}/safety-plan")
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.entity == "safety_plan").order_by(AuditEvent.id)
    ).all()
    plan = db.scalar(select(SafetyPlan))
    assert plan is not None
    assert all(e.client_id == people.kim.id and e.entity_id == str(plan.id) for e in events)
    by = {people.kim.user.id: "kim", people.carol.id: "carol"}
    assert [(by[e.actor_id or 0], e.action) for e in events] == [
        ("kim", "safety_plan.create"),
        ("kim", "safety_plan.read"),
        ("kim", "safety_plan.history.read"),
        ("carol", "safety_plan.read"),
        ("carol", "safety_plan.update"),
        ("carol", "safety_plan.read"),
        ("carol", "safety_plan.history.read"),
    ]
    update = events[4]
    assert update.detail == {"version": 2, "changed": ["reasons"]}
    assert PHRASE not in str([e.detail for e in events])  # the trail holds no plan words


def test_only_the_client_and_their_care_team_can_see_the_plan(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    start_kims_plan(as_user(people.kim.user))  # leak first: there is something to leak
    kims = f"/clinic/clients/{people.kim.id}/safety-plan"
    assert as_user(people.carol).get(kims).status_code == 200
    for outsider in (people.dan, people.erin, people.lee.user, people.admin):
        browser = as_user(outsider)
        for path in (kims, f"{kims}/edit"):
            response = browser.get(path)
            assert response.status_code == 404, (outsider.name, path)
            assert PHRASE not in response.text
        response = browser.post(f"{kims}/edit", {"coping-0-text": "overwritten"})
        assert response.status_code == 404, outsider.name
    # Lee's own plan pages are his, empty, and say nothing of Kim's.
    lee = as_user(people.lee.user)
    for path in (MINE, f"{MINE}/edit", f"{MINE}/print", f"{MINE}/history"):
        response = lee.get(path)
        assert response.status_code == 200 and PHRASE not in response.text
    # Clinicians and admins have no "my safety plan".
    for staff in (people.carol, people.admin):
        assert as_user(staff).get(MINE).status_code == 404
    assert versions(db) == 1


def test_the_support_page_call_works_without_an_actor(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    # /me/support calls plans.current_plan(db, client): the reader is the client.
    assert plans.current_plan(db, people.kim) is None
    start_kims_plan(as_user(people.kim.user))
    plan = plans.current_plan(db, people.kim)
    assert plan is not None
    helpers = next(s for s in plan.sections if s.id == "helpers")
    assert (helpers.title, helpers.entries[0].text, helpers.entries[0].phone) == (
        plans.SPECS["helpers"].title,
        "Sam, my brother",
        "+1 (555) 010-0199",
    )
    event = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.action, event.actor_id) == ("safety_plan.read", people.kim.user.id)


def test_every_plan_route_declares_a_policy() -> None:
    routes = list(api_routes(plan_pages.router.routes))
    assert len(routes) == 8
    assert [r.path for r in routes if not _has_policy(r.dependant)] == []
