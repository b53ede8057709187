"""The admin's safety settings: time limits, thresholds that only tighten, caring contacts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from mend.identity.models import User
from mend.safety import service as safety
from mend.safety.models import SafetySettings
from tests.support.personas import Personas
from tests.support.web import Browser

GOOD = {
    "ack_urgent": "10",
    "ack_high": "30",
    "ack_concern": "600",
    "phq9_total_min": "15",
    "pcl5_total_min": "31",
    "caring_contact_days": "14, 28, 60",
}


def test_admin_saves_settings_that_then_drive_alerts(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    ada = as_user(people.admin)
    page = ada.get("/admin/safety").text
    assert 'value="15"' in page  # the default urgent limit is shown
    assert ada.post("/admin/safety", GOOD).status_code == 303
    db.expire_all()
    saved = db.get(SafetySettings, people.org.id)
    assert saved is not None
    assert saved.ack_minutes == {"urgent": 10, "high": 30, "concern": 600}
    assert saved.caring_contact_days == [14, 28, 60]
    assert safety.thresholds_for(db, people.org.id).phq9_total_min == 15


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phq9_total_min": "25"}, "may not be above the published threshold"),
        ({"pcl5_total_min": "40"}, "may not be above the published threshold"),
        ({"ack_urgent": "0"}, "between 1 minute and 7 days"),
        ({"ack_urgent": "soon"}, "whole number"),
        ({"ack_urgent": "90", "ack_high": "30"}, "must not wait longer"),
        ({"caring_contact_days": "3, 14"}, "choose days from 8"),
        ({"caring_contact_days": "14, 14"}, "only once"),
        ({"caring_contact_days": "fortnight"}, "not a number of days"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(
    change: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.admin).post("/admin/safety", {**GOOD, **change})
    assert response.status_code == 422
    assert message in response.text
    assert db.get(SafetySettings, people.org.id) is None


def test_only_admins_reach_safety_settings(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    for user in (people.carol, people.kim.user):
        browser = as_user(user)
        assert browser.get("/admin/safety").status_code == 404
        assert browser.post("/admin/safety", GOOD).status_code == 404
