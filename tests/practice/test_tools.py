"""The client's Tools page: every tool as a big tile with a one-line description, for
clients only, and working without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice.tools_pages import TILES
from tests.practice.test_homework import mounted
from tests.support.personas import Personas
from tests.support.web import Browser


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return mounted(settings, factory, clock)


def test_every_tool_is_a_tile_with_a_description(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get("/me/tools")
    assert page.status_code == 200
    links = re.findall(r'<a class="tool-tile" href="([^"]+)">', page.text)
    assert links == [t.url for t in TILES]
    assert set(links) >= {
        "/me/journal",
        "/me/thoughts",
        "/me/check-in",
        "/me/coping",
        "/me/activities",
        "/me/people",
        "/me/boundaries",
        "/me/strengths",
        "/me/library",
        "/me/recovery",
        "/me/safety-plan",
    }
    for tile in TILES:
        assert tile.description in page.text.replace("&#39;", "'")
        assert len(tile.description) <= 80  # one line on a phone, more or less
    assert "<script" not in page.text


def test_the_tools_page_is_for_clients(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    for staff in (people.carol, people.admin):
        assert as_user(staff).get("/me/tools").status_code == 404


def test_every_one_of_these_routes_declares_a_policy() -> None:
    from mend.practice import homework_pages, library_pages, recovery_pages, tools_pages
    from tests.web.test_policy import _has_policy, api_routes

    routers = (homework_pages, library_pages, recovery_pages, tools_pages)
    routes = [r for m in routers for r in api_routes(m.router.routes)]
    assert len(routes) == 14
    assert [r.path for r in routes if not _has_policy(r.dependant)] == []
