"""What a client writes in their own safety plan is screened like all their writing,
before the plan is checked: a plan refused for a mistyped phone number still raises the
alert and shows support above the editor. Only the words new in a save are screened, and
a clinician's words are not the client's."""

from __future__ import annotations

import html
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import User
from mend.safety.models import Alert
from mend.safety.plans import SafetyPlanVersion
from tests.safety.test_plan_pages import MINE, edit_url, form_fields
from tests.support.personas import Personas
from tests.support.web import Browser

URGENT = "I've decided to kill myself tonight, I have the pills ready"


def _alerts(db: Session) -> list[Alert]:
    db.expire_all()
    return list(db.scalars(select(Alert).order_by(Alert.id)))


def _versions(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(SafetyPlanVersion)) or 0


def test_plan_refused_for_a_phone_number_still_raises_the_alert_and_shows_support(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    fields.update(
        {
            "warning_signs-0-text": URGENT,
            "helpers-0-text": "Sam, my brother",
            "helpers-0-phone": "call me maybe",
        }
    )
    response = kim.post(f"{MINE}/edit", fields)

    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "doesn't look right" in page and URGENT in page  # the editor keeps every word
    assert page.index("Your care team has been told") < page.index("Nothing has been saved yet")
    assert _versions(db) == 0
    [alert] = _alerts(db)
    assert (alert.severity, alert.source_kind, alert.source_id) == ("urgent", "safety_plan", "")
    assert alert.source_label == "their safety plan (Signs that a hard time is starting)"
    assert any("kill myself" in r["label"] for r in alert.reasons)

    fields["helpers-0-phone"] = "+1 (555) 010-0199"
    saved = kim.post(f"{MINE}/edit", fields)
    assert saved.headers["location"] == "/me/support?told=1"
    assert _versions(db) == 1 and len(_alerts(db)) == 1


def test_only_words_new_in_a_save_are_screened(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    fields["warning_signs-0-text"] = URGENT
    kim.post(f"{MINE}/edit", fields)
    [alert] = _alerts(db)
    alert.state = "resolved"
    db.commit()

    fields = form_fields(kim.get(f"{MINE}/edit").text)
    fields["reasons-0-text"] = "My cat, Biscuit"
    response = kim.post(f"{MINE}/edit", fields)

    assert response.headers["location"] == f"{MINE}?saved=1"
    assert len(_alerts(db)) == 1  # the warning sign was already screened


def test_a_clinicians_words_in_the_plan_raise_no_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    fields = form_fields(carol.get(edit_url(people)).text)
    fields["warning_signs-0-text"] = "Talks about wanting to kill herself"
    response = carol.post(edit_url(people), fields)
    assert response.status_code == 303
    assert _alerts(db) == []
