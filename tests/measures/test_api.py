"""The measures JSON API: answers for programs, clear 4xx for bad input, never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mend.identity.models import User
from tests.support.personas import Personas
from tests.support.web import Browser


def test_instruments_are_listed_for_signed_in_people(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    body = as_user(people.carol).get("/api/v1/instruments").json()
    ids = {i["id"] for i in body}
    assert {"phq9", "gad7", "pcl5", "asq", "who5", "proqol5"} <= ids


def test_score_endpoint_scores_like_the_cli(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    response = carol.post_json("/api/v1/score", {"instrument": "phq9", "answers": [1] * 9})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["band"]) == (9, "mild")
    assert [f["number"] for f in body["flags"]] == [9]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"instrument": "phq9", "answers": [1] * 8}, 422),
        ({"instrument": "phq9", "answers": [4] + [0] * 8}, 422),
        ({"instrument": "phq9", "answers": "111111111"}, 422),
        ({"instrument": "phq9"}, 422),
        ({"instrument": "phq9", "answers": [1] * 9, "extra": 1}, 422),
        ({"instrument": "no-such-thing", "answers": [1]}, 404),
        ([], 422),
    ],
)
def test_bad_score_requests_get_a_clear_4xx(
    body: object, status: int, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.carol).post_json("/api/v1/score", body)
    assert response.status_code == status
    assert "detail" in response.json()


def test_json_post_without_csrf_header_is_refused(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.carol).post_json(
        "/api/v1/score", {"instrument": "phq9", "answers": [1] * 9}, csrf=False
    )
    assert response.status_code == 403


def test_api_needs_sign_in(browser: Browser) -> None:
    assert browser.get("/api/v1/instruments").status_code == 401


def test_openapi_document_describes_the_api(browser: Browser) -> None:
    spec = browser.get("/openapi.json").json()
    assert "/api/v1/score" in spec["paths"]
    assert not any(p.startswith("/clinic") for p in spec["paths"])
