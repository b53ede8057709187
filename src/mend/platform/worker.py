"""The background worker: periodic tasks, then outbox delivery, round after round.

It runs either as its own process (`mend worker`) or embedded in a daemon thread of the
web server (`start_embedded`). Any number of workers may run against one database: the
outbox claims rows so each message is sent by one of them (see mend.platform.outbox),
and periodic tasks must be written to be safe to run concurrently too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from mend.platform.clock import Clock
from mend.platform.outbox import Sender, deliver_due

log = logging.getLogger(__name__)

Task = Callable[[sessionmaker[Session], Clock], object]

DEFAULT_INTERVAL_SECONDS = 15.0


def _name(task: Task) -> str:
    return getattr(task, "__qualname__", None) or repr(task)


def run_once(
    factory: sessionmaker[Session],
    clock: Clock,
    sender: Sender,
    tasks: Sequence[Task] = (),
    *,
    stop: threading.Event | None = None,
) -> bool:
    """One round: each task, then delivery. Returns False if any step failed.

    Steps are isolated from each other: a failing task is logged and the remaining
    tasks and delivery still run, because a bug in (say) escalation must not hold back
    mail that is already waiting. Tasks run first so mail they enqueue goes out this round.
    """
    ok = True
    for task in tasks:
        if stop is not None and stop.is_set():
            return ok
        try:
            task(factory, clock)
        except Exception:
            log.exception("periodic task %s failed", _name(task))
            ok = False
    try:
        report = deliver_due(factory, sender=sender, clock=clock, stop=stop)
    except Exception:
        log.exception("outbox delivery failed")
        return False
    if report.sent:
        log.info("outbox: sent %d message(s)", len(report.sent))
    if report.failed:
        # Ids only: the error text and the message stay in the database, not in logs.
        log.warning(
            "outbox: %d message(s) failed and will be retried: ids %s",
            len(report.failed),
            ", ".join(map(str, report.failed)),
        )
    return ok


def run_forever(
    factory: sessionmaker[Session],
    clock: Clock,
    sender: Sender,
    *,
    interval_seconds: float,
    stop: threading.Event,
    tasks: Sequence[Task] = (),
) -> None:
    """Run rounds every `interval_seconds` until `stop` is set.

    `stop` is checked between steps and waited on (not slept through) between rounds, so
    setting it ends the loop as soon as the step in hand (at most one send) finishes.
    """
    if interval_seconds <= 0:
        raise ValueError("interval_seconds must be positive")
    while not stop.is_set():
        try:
            run_once(factory, clock, sender, tasks, stop=stop)
        except Exception:  # run_once logs its own failures; this guards the loop itself
            log.exception("worker round failed")
        stop.wait(interval_seconds)


def start_embedded(
    factory: sessionmaker[Session],
    clock: Clock,
    sender: Sender,
    *,
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
    tasks: Sequence[Task] = (),
) -> tuple[threading.Thread, threading.Event]:
    """Start the loop in a daemon thread; set the event (then join) to stop it.

    Daemon, so a server that exits without stopping it is not kept alive by it; a
    message whose send is cut off that way is sent again after its lease expires.
    """
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever,
        args=(factory, clock, sender),
        kwargs={"interval_seconds": interval_seconds, "stop": stop, "tasks": tuple(tasks)},
        name="mend-worker",
        daemon=True,
    )
    thread.start()
    return thread, stop
