"""The coping toolkit in a real browser on a phone: once an exercise page has loaded, the
network can go away and every step still works (with JavaScript and without); a rating
made offline is sent when the connection returns; reduced motion swaps the animations
for a written count; and every page passes axe-core.

Playwright's sync API cannot start a second time in a thread where it already runs
(tests/browser keeps one open for the whole session), so these tests drive their own
Chromium from a thread of their own.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlalchemy import Engine, select

from mend.care import service as care
from mend.identity import service as identity
from mend.identity.models import Role
from mend.platform.clock import SystemClock
from mend.platform.db import make_session_factory
from mend.platform.settings import Settings
from mend.practice import coping_pages
from mend.practice.coping import CopingSession
from mend.web.app import create_app
from tests.browser.conftest import (
    AXE_JS,
    AXE_TAGS,
    CHROMIUM_ARGS,
    PHONE,
    ROOT,
    TIMEOUT_MS,
    _delete_everything,
    _describe,
    _missing,
    _wait_until_answering,
)

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-artifacts" / "coping"
CLIENT = "kim@example.org"
CLINICIAN = "carol@example.org"
PASSWORD = "quiet harbour lantern"
T = TypeVar("T")


class BrowserThread:
    """One thread that owns Playwright; every browser call runs on it."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coping-browser")
        self.playwright: Playwright | None = None
        self.chromium: Browser | None = None

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        return self.pool.submit(fn, *args).result(timeout=180)


@pytest.fixture(scope="module")
def browser_thread() -> Iterator[BrowserThread]:
    executable = shutil.which("chromium")
    if executable is None:
        _missing("Chromium not found on PATH: install Debian's `chromium` package.")
    if not AXE_JS.exists():
        _missing(f"axe-core not found at {AXE_JS}: run `npm install --no-audit --no-fund`.")
    thread = BrowserThread()

    def launch() -> None:
        thread.playwright = sync_playwright().start()
        thread.chromium = thread.playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )

    def close() -> None:
        if thread.chromium is not None:
            thread.chromium.close()
        if thread.playwright is not None:
            thread.playwright.stop()

    thread.run(launch)
    try:
        yield thread
    finally:
        thread.run(close)
        thread.pool.shutdown()


@dataclass(frozen=True)
class Server:
    url: str
    backend: str


@pytest.fixture
def server(engine: Engine, tmp_path: Path) -> Iterator[Server]:
    """Mend with the coping pages, on a real port, with a client and her clinician."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        encryption_keys=Fernet.generate_key().decode(),
        secret_key="x",
        base_url=url,
    )
    factory = make_session_factory(engine)
    app = create_app(settings, session_factory=factory, clock=SystemClock())
    if not any(getattr(r, "path", None) == coping_pages.HOME for r in app.routes):
        app.include_router(coping_pages.router)
    with factory() as db:
        now = SystemClock().now()
        org = identity.create_organisation(db, name="Harbour Therapy", locale="US", now=now)
        carol = identity.create_user(
            db,
            organisation=org,
            email=CLINICIAN,
            name="Carol Clinician",
            role=Role.CLINICIAN,
            now=now,
            actor_id=None,
            password=PASSWORD,
        )
        created = care.add_client(
            db,
            clinician=carol,
            name="Kim Client",
            email=CLIENT,
            referral_reason="",
            now=now,
            settings=settings,
        )
        identity.accept_invitation(
            db, token=created.invitation_token, password=PASSWORD, confirm=PASSWORD, now=now
        )
        db.commit()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="off"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        _wait_until_answering(url, thread)
        yield Server(url, engine.dialect.name)
    finally:
        uv.should_exit = True
        thread.join(timeout=15)
        sock.close()
        _delete_everything(engine)
    assert not thread.is_alive(), "the test server did not stop"


# --- helpers, all run on the browser thread ---


def new_page(thread: BrowserThread, server: Server, **options: Any) -> Page:
    assert thread.chromium is not None
    # CSP is bypassed only so axe-core can be injected; Mend's own pages need no exception.
    context = thread.chromium.new_context(base_url=server.url, bypass_csp=True, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sign_in(page: Page, email: str = CLIENT) -> None:
    page.goto("/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def check(page: Page, server: Server, name: str, *, axe: bool = True) -> None:
    """A screenshot to look at, then no WCAG 2.1 A/AA problem axe-core can find (axe
    needs JavaScript, so pages viewed without it get the screenshot only)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{server.backend}-{name}.png"), full_page=True)
    if not axe:
        return
    page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => (await axe.run(document, {
            runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
        })).violations""",
        AXE_TAGS,
    )
    assert not violations, f"axe-core on {name}:\n" + _describe(violations)


def rate(page: Page, scope: str, value: int) -> None:
    page.locator(f"{scope} .coping-scale-option").nth(value).click()


def start_exercise(page: Page, tool: str, before: int) -> None:
    page.goto(f"/me/coping/{tool}")
    rate(page, "form", before)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(f"**/me/coping/{tool}/*")


def visible_steps(page: Page) -> list[str]:
    return [
        str(s.get_attribute("id")) for s in page.locator(".coping-step").all() if s.is_visible()
    ]


def sessions(engine: Engine) -> list[CopingSession]:
    with make_session_factory(engine)() as db:
        return list(db.scalars(select(CopingSession).order_by(CopingSession.id)))


# --- the tests ---


def test_breathing_keeps_going_offline_and_the_rating_waits_for_the_network(
    browser_thread: BrowserThread, server: Server, engine: Engine
) -> None:
    def scenario() -> None:
        page = new_page(browser_thread, server, **PHONE)
        sign_in(page)
        page.goto("/me/coping")
        check(page, server, "toolkit")
        page.goto("/me/coping/box-breathing")
        check(page, server, "start")
        start_exercise(page, "box-breathing", 6)
        assert visible_steps(page) == ["step-start"]
        check(page, server, "breathing-start")

        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.context.set_offline(True)
        page.get_by_role("link", name="Start").click()
        assert visible_steps(page) == ["step-breathe"]
        circle = page.locator(".coping-circle")
        assert circle.evaluate("c => getComputedStyle(c).animationName") == "coping-box"
        # The timer and the screen-reader announcements follow the same clock as the CSS.
        expect(page.locator("[data-coping-elapsed]")).to_have_text("0:02", timeout=5000)
        expect(page.locator("[data-coping-live]")).to_have_text("Breathe in")
        expect(page.locator("[data-coping-live]")).to_have_text("Hold", timeout=5000)
        check(page, server, "breathing-pacer")

        page.get_by_role("link", name="I'm done").click()
        assert visible_steps(page) == ["step-after"]
        rate(page, "#step-after", 3)
        page.locator("#note").fill("Slower than I expected, in a good way.")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("[data-coping-offline]")).to_contain_text("You're offline")
        assert requests == []  # nothing left the phone while the network was gone
        assert sessions(engine)[0].finished_at is None

        page.context.set_offline(False)
        page.wait_for_url("**/me/coping/box-breathing/*?saved=1*")
        expect(page.get_by_text("Your distress came down 3 points.")).to_be_visible()
        check(page, server, "done")
        page.goto("/me/coping/history")
        check(page, server, "history")

    browser_thread.run(scenario)
    (session,) = sessions(engine)
    assert (session.tool, session.distress_before, session.distress_after) == (
        "box-breathing",
        6,
        3,
    )
    assert session.note == "Slower than I expected, in a good way."


def test_grounding_steps_through_offline_without_javascript(
    browser_thread: BrowserThread, server: Server, engine: Engine
) -> None:
    def scenario() -> None:
        page = new_page(browser_thread, server, java_script_enabled=False, **PHONE)
        sign_in(page)
        start_exercise(page, "grounding", 8)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.context.set_offline(True)

        page.get_by_role("link", name="Begin").click()
        assert visible_steps(page) == ["step-see"]
        expect(page.get_by_role("heading", name="Five things you can see")).to_be_visible()
        page.get_by_label("Jot down what you see, if you like (optional)").fill("a blue mug")
        check(page, server, "grounding-see", axe=False)
        expected = ["step-feel", "step-hear", "step-smell", "step-taste", "step-arrived"]
        for step in expected:
            page.locator(".coping-step:visible").get_by_role("link", name="Next").click()
            assert visible_steps(page) == [step]
        for _ in range(3):
            page.go_back()  # the browser's own back button steps back too
        assert visible_steps(page) == ["step-hear"]
        for step in ("step-feel", "step-see"):
            page.locator(".coping-step:visible").get_by_role("link", name="Back").click()
            assert visible_steps(page) == [step]
        assert page.get_by_label("Jot down what you see, if you like (optional)").input_value() == (
            "a blue mug"
        )
        page.locator(".coping-step:visible").get_by_role("link", name="Stop here").click()
        assert visible_steps(page) == ["step-after"]
        assert requests == []

        page.context.set_offline(False)
        rate(page, "#step-after", 5)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/me/coping/grounding/*?saved=1*")
        expect(page.get_by_text("Your distress came down 3 points.")).to_be_visible()

        # A rating out of range comes back to the closing step with the reason.
        start_exercise(page, "grounding", 4)
        page.goto(page.url + "#step-after")
        page.locator("#step-after input[value='7']").evaluate("i => { i.value = '70'; }")
        rate(page, "#step-after", 7)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text("whole number from 0 to 10")
        assert visible_steps(page) == ["step-after"]

    browser_thread.run(scenario)
    assert [(s.tool, s.distress_after) for s in sessions(engine)] == [
        ("grounding", 5),
        ("grounding", None),
    ]


def test_reduced_motion_shows_a_written_count_instead_of_animation(
    browser_thread: BrowserThread, server: Server
) -> None:
    def scenario() -> None:
        page = new_page(browser_thread, server, reduced_motion="reduce", **PHONE)
        sign_in(page)
        start_exercise(page, "4-7-8-breathing", 5)
        page.get_by_role("link", name="Start").click()
        expect(page.locator(".coping-pacer")).to_be_hidden()
        expect(page.locator(".coping-count")).to_be_visible()
        expect(page.locator(".coping-count li").nth(1)).to_have_text(
            "Hold, counting slowly: 1, 2, 3, 4, 5, 6, 7"
        )
        expect(page.locator("[data-coping-now]")).to_have_text("Breathe in · 2", timeout=5000)
        check(page, server, "breathing-reduced-motion")

        start_exercise(page, "muscle-relaxation", 5)
        page.get_by_role("link", name="Begin").click()
        expect(page.locator(".coping-step:visible .coping-muscle-guide")).to_be_hidden()
        expect(page.locator(".coping-step:visible .coping-muscle-words")).to_have_text(
            "Tense for a slow count of 5, then let go for a slow count of 10."
        )

    browser_thread.run(scenario)


def test_calm_place_muscle_relaxation_and_the_clinicians_chart(
    browser_thread: BrowserThread, server: Server
) -> None:
    def scenario() -> None:
        page = new_page(browser_thread, server, **PHONE)
        sign_in(page)
        page.goto("/me/coping/calm-place")
        page.get_by_role("link", name="Describe my place").click()
        page.get_by_label("What do you call your place?").fill("The lighthouse cove")
        page.get_by_label("What can you hear?").fill("gulls and slow waves")
        check(page, server, "place")
        page.get_by_role("button", name="Save my place").click()
        rate(page, "form", 7)
        page.get_by_role("button", name="Start").click()
        page.get_by_role("link", name="Begin").click()
        expect(page.locator(".coping-step:visible blockquote")).to_have_text("The lighthouse cove")
        check(page, server, "calm-place")
        page.get_by_role("link", name="Stop here").click()
        rate(page, "#step-after", 4)
        page.get_by_role("button", name="Save").click()

        start_exercise(page, "muscle-relaxation", 6)
        page.get_by_role("link", name="Begin").click()
        page.get_by_role("link", name="Start the count").click()
        # Starting the count keeps the step, and its instructions, on screen.
        assert visible_steps(page) == ["step-hands"]
        expect(page.get_by_role("heading", name="Hands and forearms")).to_be_in_viewport()
        expect(page.locator(".coping-step:visible .coping-muscle-tense")).to_have_css(
            "opacity", "1"
        )
        expect(page.locator(".coping-step:visible .coping-muscle-release")).to_have_css(
            "opacity", "1", timeout=8000
        )
        check(page, server, "muscle-relaxation")

        clinic = new_page(browser_thread, server, viewport={"width": 1280, "height": 900})
        sign_in(clinic, CLINICIAN)
        clinic.get_by_role("link", name="Kim Client").first.click()
        clinic.goto(clinic.url.rstrip("/") + "/coping")
        expect(clinic.get_by_role("heading", name="Kim Client: coping toolkit")).to_be_visible()
        expect(clinic.locator(".coping-chart img")).to_have_js_property("complete", True)
        assert clinic.locator(".coping-chart img").evaluate("i => i.naturalWidth") > 0
        check(clinic, server, "clinician")

    browser_thread.run(scenario)
