"""Behavioural activation pages: the client's week, planning, marking done, and a graph
of activity against mood; the care team's read-only view of the same."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.platform.errors import Invalid
from mend.practice import activation
from mend.practice import activation_rules as rules
from mend.practice.common import Writing, after_save, save_screened
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

MINE = "/me/activities"
GRAPH_DAYS = 28  # four weeks: long enough to see a pattern, short enough to read

Title = Annotated[str, Form(max_length=activation.MAX_TITLE + 200)]
Short = Annotated[str, Form(max_length=20)]
Note = Annotated[str, Form(max_length=activation.MAX_NOTE + 500)]


def _writing(activity_id: int | None, text: str) -> Writing:
    return Writing(activation.SOURCE_KIND, activity_id, [(activation.SOURCE_LABEL, text)])


def _flags(request: Request) -> dict[str, Any]:
    return {
        "saved": request.query_params.get("saved"),
        "check": request.query_params.get("check"),
    }


@router.get(MINE, response_class=HTMLResponse)
async def my_week(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    today = clock.now().date()
    return render(
        request,
        "practice/activation_week.html",
        {
            "title": "My activities",
            **_week_context(db, client, request, today),
            **_flags(request),
            "removed": request.query_params.get("removed"),
        },
    )


def _week_context(db: Session, client: Client, request: Request, today: date) -> dict[str, Any]:
    monday = rules.parse_week(request.query_params.get("week"), today)
    days = rules.week_days(monday)
    found = activation.activities_between(db, client, days[0], days[-1])
    by_day: dict[date, list[activation.Activity]] = {d: [] for d in days}
    for a in found:
        by_day[a.planned_on].append(a)
    summary = rules.weekly_summary([a.facts for a in found])
    return {
        "client": client,
        "monday": monday,
        "sunday": days[-1],
        "days": [(d, by_day[d]) for d in days],
        "today": today,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "this_week": rules.week_start(today),
        "summary": summary,
        "sentence": rules.summary_sentence(summary),
        "labels": activation.CATEGORY_LABELS,
    }


def _form_context(form: dict[str, Any], error: str | None = None) -> dict[str, Any]:
    return {
        "categories": activation.CATEGORIES,
        "times": activation.TIMES_OF_DAY,
        "form": form,
        "error": error,
    }


@router.get(f"{MINE}/new", response_class=HTMLResponse)
async def new_activity(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    access.own_client_record(db, user)
    on = request.query_params.get("on", "")
    try:
        day = date.fromisoformat(on)
    except ValueError:
        day = clock.now().date()
    return render(
        request,
        "practice/activation_form.html",
        {"title": "Plan an activity", "activity": None, **_form_context({"planned_on": day})},
    )


@router.post(MINE, response_class=HTMLResponse)
async def create_activity(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    title: Title = "",
    category: Short = "",
    planned_on: Short = "",
    time_of_day: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    form = {
        "title": title,
        "category": category,
        "planned_on": planned_on,
        "time_of_day": time_of_day,
    }

    def refused(exc: Invalid) -> Response:
        return render(
            request,
            "practice/activation_form.html",
            {"title": "Plan an activity", "activity": None, **_form_context(form, str(exc))},
            status_code=422,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(None, title),
        now=now,
        base_url=settings.base_url,
        save=lambda: activation.plan_activity(
            db,
            client=client,
            author=user,
            title=title,
            category=category,
            planned_on=planned_on,
            time_of_day=time_of_day,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda activity, level: after_save(
            level, f"{MINE}?week={rules.week_start(activity.planned_on)}"
        ),
        refused=refused,
    )


@router.get(MINE + "/{activity_id:int}", response_class=HTMLResponse)
async def show_activity(
    request: Request, activity_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    activity = activation.own_activity(db, client, activity_id)
    return _show(request, activity, clock.now().date())


def _show(
    request: Request,
    activity: activation.Activity,
    today: date,
    *,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    default_day = activity.done_on or min(activity.planned_on, today)
    return render(
        request,
        "practice/activation_activity.html",
        {
            "title": activity.title,
            "activity": activity,
            "today": today,
            "error": error,
            "form": form
            or {
                "done_on": default_day,
                "mastery": activity.mastery,
                "pleasure": activity.pleasure,
                "note": activity.note or "",
            },
            **_flags(request),
        },
        status_code=status_code,
    )


@router.get(MINE + "/{activity_id:int}/edit", response_class=HTMLResponse)
async def edit_activity_page(
    request: Request, activity_id: int, user: ClientUser, db: DbDep
) -> Response:
    client = access.own_client_record(db, user)
    activity = activation.own_activity(db, client, activity_id)
    form = {
        "title": activity.title,
        "category": activity.category,
        "planned_on": activity.planned_on,
        "time_of_day": activity.time_of_day or "",
    }
    return render(
        request,
        "practice/activation_form.html",
        {"title": "Change this activity", "activity": activity, **_form_context(form)},
    )


@router.post(MINE + "/{activity_id:int}", response_class=HTMLResponse)
async def update_activity(
    request: Request,
    activity_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    title: Title = "",
    category: Short = "",
    planned_on: Short = "",
    time_of_day: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    activation.own_activity(db, client, activity_id)  # someone else's: 404 before anything
    now = clock.now()
    form = {
        "title": title,
        "category": category,
        "planned_on": planned_on,
        "time_of_day": time_of_day,
    }

    def refused(exc: Invalid) -> Response:
        current = activation.own_activity(db, client, activity_id)
        return render(
            request,
            "practice/activation_form.html",
            {"title": "Change this activity", "activity": current, **_form_context(form, str(exc))},
            status_code=422,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(activity_id, title),
        now=now,
        base_url=settings.base_url,
        save=lambda: activation.update_activity(
            db,
            client=client,
            author=user,
            activity_id=activity_id,
            title=title,
            category=category,
            planned_on=planned_on,
            time_of_day=time_of_day,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda activity, level: after_save(level, f"{MINE}/{activity.id}"),
        refused=refused,
    )


@router.post(MINE + "/{activity_id:int}/done", response_class=HTMLResponse)
async def mark_done(
    request: Request,
    activity_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    done_on: Short = "",
    mastery: Short = "",
    pleasure: Short = "",
    note: Note = "",
) -> Response:
    client = access.own_client_record(db, user)
    activation.own_activity(db, client, activity_id)  # someone else's: 404 before anything
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        current = activation.own_activity(db, client, activity_id)
        form = {"done_on": done_on, "mastery": mastery, "pleasure": pleasure, "note": note}
        return _show(request, current, now.date(), error=str(exc), form=form, status_code=422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(activity_id, note),
        now=now,
        base_url=settings.base_url,
        save=lambda: activation.mark_done(
            db,
            client=client,
            author=user,
            activity_id=activity_id,
            done_on=done_on,
            mastery=mastery,
            pleasure=pleasure,
            note=note,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda activity, level: after_save(level, f"{MINE}/{activity.id}"),
        refused=refused,
    )


@router.post(MINE + "/{activity_id:int}/undo")
async def undo_done(activity_id: int, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    activation.mark_not_done(
        db, client=client, author=user, activity_id=activity_id, now=clock.now()
    )
    db.commit()
    return RedirectResponse(f"{MINE}/{activity_id}", status_code=303)


@router.post(MINE + "/{activity_id:int}/delete")
async def delete_activity(
    activity_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    activity = activation.own_activity(db, client, activity_id)
    week = rules.week_start(activity.planned_on)
    activation.delete_activity(
        db, client=client, author=user, activity_id=activity_id, now=clock.now()
    )
    db.commit()
    return RedirectResponse(f"{MINE}?week={week}&removed=1", status_code=303)


# --- activity against mood ---


def _graph_context(db: Session, client: Client, today: date) -> dict[str, Any]:
    first = today - timedelta(days=GRAPH_DAYS - 1)
    points = activation.day_points(db, client, first, today)
    pairs = rules.activity_mood_pairs(points)
    return {
        "points": points,
        "pairs": pairs,
        "first": first,
        "last": today,
        "has_moods": bool(pairs),
        "comparison": rules.comparison_sentence(rules.compare_mood(pairs)),
        "chart_alt": describe(points),
    }


@router.get(f"{MINE}/mood", response_class=HTMLResponse)
async def my_graph(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    return render(
        request,
        "practice/activation_mood.html",
        {"title": "Activity and mood", **_graph_context(db, client, clock.now().date())},
    )


@router.get(f"{MINE}/chart.svg")
async def my_chart(user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    today = clock.now().date()
    points = activation.day_points(db, client, today - timedelta(days=GRAPH_DAYS - 1), today)
    return Response(render_svg(points, phone=True), media_type="image/svg+xml")


def describe(points: Sequence[rules.DayPoint]) -> str:
    """The chart's alt text; the table under it holds every value."""
    done = sum(p.activities for p in points)
    moods = [p.average_mood for p in points if p.average_mood is not None]
    if not points:
        return "No days to show."
    text = (
        f"Activities done each day from {points[0].day:%-d %B} to {points[-1].day:%-d %B}: "
        f"{done} in all"
    )
    if moods:
        text += f"; mood checked in on {len(moods)} days, from {min(moods):g} to {max(moods):g}"
    return text + "."


def render_svg(points: Sequence[rules.DayPoint], *, phone: bool = False) -> str:
    """Bars for activities done each day, a line for the day's average mood (0–10).
    `phone` draws a narrower figure with larger text, for a 390px-wide screen.
    The object-oriented matplotlib API keeps no global state, so no lock is needed."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    size = 10 if phone else 8
    fig = Figure(figsize=(4.0, 3.4) if phone else (7.2, 3.0), dpi=100)
    ax = fig.subplots()
    # Days by position rather than as dates: the ticks below label them plainly.
    xs = list(range(len(points)))
    counts = [p.activities for p in points]
    ax.bar(xs, counts, width=0.7, color="#9cc7c2", label="Activities done", zorder=2)
    ax.set_ylim(0, max([3, *counts]) + 1)
    ax.set_ylabel("Activities done", fontsize=size)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    mood_ax = ax.twinx()
    mood_xs = [x for x, p in zip(xs, points, strict=True) if p.average_mood is not None]
    moods = [p.average_mood for p in points if p.average_mood is not None]
    mood_ax.plot(
        mood_xs,
        moods,
        color="#8a4b00",
        marker="o",
        markersize=4,
        linewidth=1.4,
        label="Mood (0–10)",
        zorder=3,
    )
    mood_ax.set_ylim(0, 10.5)
    mood_ax.set_ylabel("Mood (0–10)", fontsize=size)
    # A tick each Monday (or the first day), labelled with the date.
    ticks = [x for x, p in zip(xs, points, strict=True) if p.day.weekday() == 0 or x == 0]
    ax.set_xticks(ticks, [f"{points[x].day:%-d %b}" for x in ticks])
    if xs:
        ax.set_xlim(-0.6, xs[-1] + 0.6)
    for axis in (ax, mood_ax):
        axis.tick_params(labelsize=size)
        axis.spines["top"].set_visible(False)
    handles = [*ax.get_legend_handles_labels()[0], *mood_ax.get_legend_handles_labels()[0]]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, -0.16),
        ncol=2,
        fontsize=size - 1,
        frameon=False,
    )
    if phone:
        fig.subplots_adjust(left=0.13, right=0.86, top=0.96, bottom=0.27)
    else:
        fig.subplots_adjust(left=0.08, right=0.9, top=0.95, bottom=0.28)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


# --- the care team's view ---

CLINIC = "/clinic/clients/{client_id:int}/activities"


@router.get(CLINIC, response_class=HTMLResponse)
async def client_activities(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    today = clock.now().date()
    week = _week_context(db, client, request, today)
    # The last four weeks' summaries, newest first, so a trend is visible at a glance.
    summaries = []
    for back in range(4):
        monday = week["monday"] - timedelta(days=7 * back)
        found = activation.activities_between(db, client, monday, monday + timedelta(days=6))
        summaries.append((monday, rules.weekly_summary([a.facts for a in found])))
    access.record_read(
        db,
        actor=user,
        client=client,
        what="activities",
        now=clock.now(),
        detail={"week": week["monday"].isoformat()},
    )
    db.commit()
    return render(
        request,
        "practice/activation_clinic.html",
        {
            "title": f"{client.name}: activities",
            **week,
            "summaries": summaries,
            **_graph_context(db, client, today),
        },
    )


@router.get(CLINIC + "/chart.svg")
async def client_chart(client_id: int, user: Clinician, db: DbDep, clock: ClockDep) -> Response:
    client = access.client_for(db, user, client_id)
    today = clock.now().date()
    points = activation.day_points(db, client, today - timedelta(days=GRAPH_DAYS - 1), today)
    access.record_read(db, actor=user, client=client, what="activities.chart", now=clock.now())
    db.commit()
    return Response(render_svg(points), media_type="image/svg+xml")
