"""The `mend` command: set up, seed demo data, serve, score questionnaires, read the audit trail."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from mend.language import commands as language_commands
from mend.language import traps_command
from mend.measures import commands as measures_commands
from mend.platform import commands as platform_commands
from mend.platform.clock import Clock
from mend.platform.settings import Settings, load_settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Mend from the terminal.")
console = Console()
err = Console(stderr=True)

measures_commands.register(app)
traps_command.register(app)
language_commands.register(app)


def _escalate_alerts(factory: sessionmaker[Session], clock: Clock) -> object:
    from mend.safety.service import escalate_overdue

    return escalate_overdue(factory, clock, load_settings().base_url)


def _escalate_follow_ups(factory: sessionmaker[Session], clock: Clock) -> object:
    from mend.safety.crisis import escalate_overdue_follow_ups

    return escalate_overdue_follow_ups(factory, clock, load_settings().base_url)


def _rescreen(factory: sessionmaker[Session], clock: Clock) -> object:
    from mend.safety.screening import rescreen_pending

    return rescreen_pending(factory, clock, load_settings().base_url)


platform_commands.register(app, tasks=(_escalate_alerts, _escalate_follow_ups, _rescreen))


def _context() -> tuple[Settings, Engine, sessionmaker[Session]]:
    from mend.platform.crypto import configure_encryption
    from mend.platform.db import make_engine, make_session_factory
    from mend.platform.settings import load_settings

    settings = load_settings()
    configure_encryption(settings.fernet_keys)
    engine = make_engine(settings.resolved_database_url)
    return settings, engine, make_session_factory(engine)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic)."""
    from mend.platform import migrate as migrations

    _, engine, _ = _context()
    migrations.upgrade(engine)
    console.print(f"Database is up to date: {engine.url.render_as_string(hide_password=True)}")


@app.command()
def setup(
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo organisation if empty.")
    ] = False,
) -> None:
    """Migrate the database and, with --demo, load demo data; prints where to sign in."""
    from mend.demo import DEMO_PASSWORD, credentials, load_demo
    from mend.platform import migrate as migrations
    from mend.platform.clock import SystemClock
    from mend.platform.db import transaction

    settings, engine, factory = _context()
    migrations.upgrade(engine)
    if demo:
        with transaction(factory) as db:
            loaded = load_demo(db, SystemClock().now(), settings.base_url)
        console.print(
            "Demo data loaded." if loaded else "Database already has data; demo not loaded again."
        )
        table = Table(
            title=f"Sign in at {settings.base_url}/sign-in (password for all: {DEMO_PASSWORD})"
        )
        table.add_column("Role")
        table.add_column("Email")
        for role, email in credentials():
            table.add_row(role, email)
        console.print(table)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    name: Annotated[str, typer.Option(prompt=True)],
    organisation: Annotated[str, typer.Option(prompt="Organisation name")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    locale: Annotated[
        str, typer.Option(help="Country code for crisis lines (US, GB, CA, AU).")
    ] = "US",
) -> None:
    """Create the first admin (and their organisation, if it doesn't exist yet)."""
    from mend.identity import service
    from mend.identity.models import Organisation, Role
    from mend.platform import migrate as migrations
    from mend.platform.clock import SystemClock
    from mend.platform.db import transaction
    from mend.web.crisis import RESOURCES

    if locale.upper() not in RESOURCES:
        err.print(f"Unknown locale {locale!r}; choose one of {', '.join(RESOURCES)}.")
        raise typer.Exit(2)
    settings, engine, factory = _context()
    migrations.upgrade(engine)
    now = SystemClock().now()
    try:
        with transaction(factory) as db:
            org = db.scalar(select(Organisation).where(Organisation.name == organisation.strip()))
            if org is None:
                org = service.create_organisation(
                    db, name=organisation, locale=locale.upper(), now=now
                )
            user = service.create_user(
                db,
                organisation=org,
                email=email,
                name=name,
                role=Role.ADMIN,
                now=now,
                actor_id=None,
                password=password,
            )
            user_email = user.email
    except service.IdentityError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from exc
    console.print(f"Admin {user_email} created. Sign in at {settings.base_url}/sign-in")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Serve Mend over HTTP."""
    import uvicorn

    from mend.web.app import create_app

    settings, engine, _ = _context()
    console.print(f"Mend is running: open http://{host}:{port}/sign-in  (Ctrl+C to stop)")
    uvicorn.run(
        create_app(settings, engine=engine, run_worker=settings.embedded_worker),
        host=host,
        port=port,
        log_level="warning",
    )


@app.command()
def audit(
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    client: Annotated[int | None, typer.Option(help="Only events about this client id.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    verify: Annotated[
        bool, typer.Option(help="Check the whole hash chain instead of listing.")
    ] = False,
) -> None:
    """List audit events (newest first), or verify the tamper-evident chain."""
    from mend.platform.audit import AuditEvent, verify_chain

    _, _, factory = _context()
    with factory() as db:
        if verify:
            events = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000)
            problems = verify_chain(events)
            if problems:
                for p in problems:
                    err.print(f"event {p.event_id}: {p.reason}")
                raise typer.Exit(1)
            console.print("Audit chain intact.")
            return
        query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if client is not None:
            query = query.where(AuditEvent.client_id == client)
        rows = list(db.scalars(query))
    if as_json:
        for e in rows:
            sys.stdout.write(
                json.dumps(
                    {
                        "id": e.id,
                        "at": e.at.isoformat(),
                        "actor": e.actor_id,
                        "action": e.action,
                        "entity": e.entity,
                        "entity_id": e.entity_id,
                        "client": e.client_id,
                        "detail": e.detail,
                    }
                )
                + "\n"
            )
        return
    table = Table()
    for col in ("#", "when (UTC)", "actor", "action", "record", "client"):
        table.add_column(col)
    for e in rows:
        table.add_row(
            str(e.id),
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            str(e.actor_id or "system"),
            e.action,
            f"{e.entity} {e.entity_id or ''}",
            str(e.client_id or ""),
        )
    console.print(table)


if __name__ == "__main__":  # pragma: no cover
    app()
