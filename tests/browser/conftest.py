"""Browser tests: real Chromium (through Playwright) against a real Mend server.

The server is uvicorn in a background thread, on the same migrated `engine` the rest of
the suite uses (so every browser test runs on SQLite and on PostgreSQL). Requests commit
for real, so the rolled-back `factory` fixture can't be used here; instead the server
fixture deletes every row when the test ends, leaving the empty database other tests
expect.

Chromium is Debian's (/usr/bin/chromium) and axe-core comes from npm (`npm install`):
neither is downloaded by the tests. Without them the tests skip, except in CI, where
they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
import uvicorn
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mend.identity import service as identity
from mend.identity.models import Role
from mend.models import Base
from mend.platform.clock import SystemClock
from mend.platform.db import make_session_factory
from mend.platform.settings import Settings
from mend.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium running as root keeps calling out to a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PASSWORD = "quiet harbour lantern"  # meets the 10-character rule
TIMEOUT_MS = 10_000


def _missing(what: str) -> NoReturn:
    """A missing browser tool fails the run in CI and skips the tests elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (browser tests are required in CI)", pytrace=False)
    pytest.skip(what)


# --- the browser ---


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        _missing(
            "Chromium not found on PATH: install Debian's `chromium` package "
            "(scripts/system-deps.sh); Playwright's own browser download is not used."
        )
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_JS.exists():
        _missing(f"axe-core not found at {AXE_JS}: run `npm install --no-audit --no-fund`.")
    return AXE_JS


# --- the server ---


@dataclass(frozen=True)
class LiveServer:
    url: str
    backend: str
    factory: sessionmaker[Session]
    settings: Settings


def _wait_until_answering(url: str, thread: threading.Thread, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped while starting")
        try:
            with urllib.request.urlopen(f"{url}/help", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the test server did not answer at {url} within {timeout:.0f}s")


def _delete_everything(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def live_server(engine: Engine, tmp_path: Path) -> Iterator[LiveServer]:
    # Bind first and hand uvicorn the socket: the port is known before the app (whose
    # invitation links carry it) is built, and no other process can take it meanwhile.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        encryption_keys=Fernet.generate_key().decode(),
        secret_key="x",
        base_url=url,
    )
    factory = make_session_factory(engine)
    app = create_app(settings, session_factory=factory, clock=SystemClock())
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="mend-live-server", daemon=True
    )
    thread.start()
    try:
        _wait_until_answering(url, thread)
        yield LiveServer(url, engine.dialect.name, factory, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        _delete_everything(engine)
    assert not thread.is_alive(), "the test server did not stop"


@dataclass(frozen=True)
class Practice:
    """Who exists before the browser opens: one organisation, a clinician and an admin."""

    organisation: str
    clinician_email: str
    clinician_name: str
    admin_email: str
    password: str


@pytest.fixture
def practice(live_server: LiveServer) -> Practice:
    with live_server.factory() as db:
        now = SystemClock().now()
        org = identity.create_organisation(db, name="Harbour Therapy", locale="US", now=now)
        identity.create_user(
            db,
            organisation=org,
            email="carol@harbour.test",
            name="Carol Clinician",
            role=Role.CLINICIAN,
            now=now,
            actor_id=None,
            password=PASSWORD,
        )
        identity.create_user(
            db,
            organisation=org,
            email="ada@harbour.test",
            name="Ada Admin",
            role=Role.ADMIN,
            now=now,
            actor_id=None,
            password=PASSWORD,
        )
        db.commit()
    return Practice(
        organisation="Harbour Therapy",
        clinician_email="carol@harbour.test",
        clinician_name="Carol Clinician",
        admin_email="ada@harbour.test",
        password=PASSWORD,
    )


# --- pages ---


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(chromium: Browser, live_server: LiveServer) -> Iterator[NewContext]:
    """Opens browser contexts (separate cookie jars: separate people) on the live server;
    all are closed when the test ends. CSP is bypassed only so axe-core can be injected."""
    opened: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = chromium.new_context(base_url=live_server.url, bypass_csp=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    """A desktop-sized page, for the clinician and the admin."""
    return new_context(**DESKTOP).new_page()


@pytest.fixture
def phone(new_context: NewContext) -> Page:
    """A phone-sized touch page, for the client."""
    return new_context(**PHONE).new_page()


# --- accessibility ---


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            target = " ".join(
                json.dumps(t) if not isinstance(t, str) else t for t in node["target"]
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


CheckAccessibility = Callable[[Page, str], None]


@pytest.fixture
def check_accessibility(live_server: LiveServer, axe_source: Path) -> CheckAccessibility:
    """`check_accessibility(page, name)`: saves a full-page screenshot to
    test-artifacts/screenshots/<backend>-<name>.png, then fails on any WCAG 2.1 A/AA
    violation axe-core finds on the page as it is now."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        save_screenshot(page, f"{live_server.backend}-{name}")
        page.add_script_tag(path=str(axe_source))
        violations: list[dict[str, Any]] = page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {
                    runOnly: { type: "tag", values: tags },
                    resultTypes: ["violations"],
                });
                return results.violations;
            }""",
            AXE_TAGS,
        )
        assert not violations, (
            f"axe-core found accessibility problems on {name} ({page.url}):\n"
            + _describe(violations)
        )

    return check


def save_screenshot(page: Page, stem: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{stem}.png"
    page.screenshot(path=str(path), full_page=True, scale="css")
    return path
