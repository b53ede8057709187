"""`mend worker`: send the outbox (and run periodic tasks) from a separate process."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from mend.platform.worker import DEFAULT_INTERVAL_SECONDS, Task

console = Console()


def register(app: typer.Typer, *, tasks: Sequence[Task] = ()) -> None:
    """Add `mend worker`; `tasks` run before delivery in every round."""
    chosen = tuple(tasks)

    def worker(
        once: Annotated[
            bool, typer.Option("--once", help="Run one round, then exit (for cron).")
        ] = False,
        interval: Annotated[
            float,
            typer.Option(min=1, max=3600, help="Seconds between rounds.", metavar="SECONDS"),
        ] = DEFAULT_INTERVAL_SECONDS,
    ) -> None:
        """Send queued email notifications and run periodic tasks until Ctrl+C."""
        _run_worker(once=once, interval=interval, tasks=chosen)

    app.command("worker")(worker)


@contextmanager
def _graceful_stop(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl+C or SIGTERM lets the message in hand finish; a second acts at once.

    Dying mid-send would leave the message claimed and send it again after its lease
    (a duplicate if the server had accepted it), so stopping between messages is better.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be installed from the main thread
        return
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    def _restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def _handler(_signum: int, _frame: FrameType | None) -> None:
        # Event.set takes a lock the interrupted code may be holding (inside stop.wait),
        # so it is set from another thread rather than from the handler itself.
        threading.Thread(target=stop.set, name="mend-worker-stop", daemon=True).start()
        _restore()

    for signum in previous:
        signal.signal(signum, _handler)
    try:
        yield
    finally:
        _restore()


def _run_worker(*, once: bool, interval: float, tasks: Sequence[Task]) -> None:
    from mend.platform.clock import SystemClock
    from mend.platform.crypto import configure_encryption
    from mend.platform.db import make_engine, make_session_factory
    from mend.platform.mail import SmtpSender, SmtpSettings
    from mend.platform.settings import load_settings
    from mend.platform.worker import run_forever, run_once

    settings = load_settings()
    configure_encryption(settings.fernet_keys)
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    smtp = SmtpSettings()
    sender = SmtpSender(smtp)
    # The worker's only output after start-up is its log (failures, counts, never content).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    clock = SystemClock()
    mode = "one round" if once else f"every {interval:g} s (Ctrl+C to stop)"
    console.print(
        f"Mend worker: mail via {smtp.host}:{smtp.port}, database "
        f"{engine.url.render_as_string(hide_password=True)}, {mode}"
    )
    try:
        if once:
            if not run_once(factory, clock, sender, tasks):
                raise typer.Exit(1)
            return
        stop = threading.Event()
        # suppress: a second Ctrl+C stops at once, which is a normal way to end.
        with _graceful_stop(stop), suppress(KeyboardInterrupt):
            run_forever(factory, clock, sender, interval_seconds=interval, stop=stop, tasks=tasks)
        console.print("Mend worker stopped.")
    finally:
        engine.dispose()
