"""Assembles Mend's web application from the feature routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mend.platform.clock import Clock, SystemClock
from mend.platform.crypto import configure_encryption
from mend.platform.db import make_engine, make_session_factory
from mend.platform.settings import Settings, load_settings
from mend.web.errors import install_error_handlers

STATIC = Path(__file__).resolve().parent / "static"

# Pages hold health information: never cached, never framed, no referrer leaks
# (invitation links carry a token in their address).
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    clock: Clock | None = None,
    run_worker: bool = False,
) -> FastAPI:
    settings = settings or load_settings()
    configure_encryption(settings.fernet_keys)
    if session_factory is None:
        engine = engine or make_engine(settings.resolved_database_url)
        session_factory = make_session_factory(engine)

    factory = session_factory
    worker_clock = clock or SystemClock()
    base_url = settings.base_url

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        from mend.language.crisis import warm_up

        # The crisis-language model loads in a background thread, so the server answers at
        # once; a save that arrives first waits only a bounded time (see screening.py).
        warm_up()
        # Off in tests: their single shared connection cannot serve a second thread.
        if not run_worker:
            yield
            return
        from mend.platform.mail import SmtpSender, SmtpSettings
        from mend.platform.worker import start_embedded
        from mend.safety.crisis import escalate_overdue_follow_ups
        from mend.safety.screening import rescreen_pending
        from mend.safety.service import escalate_overdue

        def rescreen(f: sessionmaker[Session], c: Clock) -> object:
            return rescreen_pending(f, c, base_url)

        def escalate(f: sessionmaker[Session], c: Clock) -> object:
            return escalate_overdue(f, c, base_url)

        def escalate_follow_ups(f: sessionmaker[Session], c: Clock) -> object:
            return escalate_overdue_follow_ups(f, c, base_url)

        thread, stop = start_embedded(
            factory,
            worker_clock,
            SmtpSender(SmtpSettings()),
            tasks=(escalate, escalate_follow_ups, rescreen),
        )
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=15)

    app = FastAPI(
        lifespan=lifespan,
        title="Mend API",
        version="1",
        description="Measurement-based care for rejection and interpersonal trauma.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.clock = worker_clock

    @app.middleware("http")
    async def _headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            if name == "Content-Security-Policy" and request.url.path == "/docs":
                continue  # the API explorer loads its own scripts
            response.headers.setdefault(name, value)
        return response

    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    from mend.care import pages as care_pages
    from mend.identity import admin_pages
    from mend.identity import pages as identity_pages
    from mend.measures import api as measures_api
    from mend.measures import pages as measures_pages
    from mend.practice import (
        activation_pages,
        boundaries_pages,
        checkin_pages,
        coping_pages,
        homework_pages,
        library_pages,
        network_pages,
        recovery_pages,
        strengths_pages,
        thought_pages,
        tools_pages,
    )
    from mend.practice import pages as practice_pages
    from mend.safety import care_level_pages, crisis_pages
    from mend.safety import pages as safety_pages
    from mend.safety import plan_pages as safety_plan_pages
    from mend.safety import settings_pages as safety_settings_pages
    from mend.web import clinic
    from mend.web import pages as web_pages

    for router in (
        web_pages.router,
        clinic.router,
        identity_pages.router,
        admin_pages.router,
        care_pages.router,
        measures_pages.router,
        measures_api.router,
        safety_pages.router,
        safety_plan_pages.router,
        safety_settings_pages.router,
        crisis_pages.router,
        care_level_pages.router,
        practice_pages.router,
        thought_pages.router,
        checkin_pages.router,
        coping_pages.router,
        homework_pages.router,
        library_pages.router,
        recovery_pages.router,
        tools_pages.router,
        activation_pages.router,
        network_pages.router,
        boundaries_pages.router,
        strengths_pages.router,
    ):
        app.include_router(router)
    return app
