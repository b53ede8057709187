"""Measures over JSON (/api/v1): instruments, scoring, a client's administrations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from mend.care import access
from mend.measures import progress, service
from mend.measures.definitions import default_registry
from mend.measures.schemas import (
    AdministrationOut,
    InstrumentSummary,
    ScoreRequest,
    ScoreResponse,
)
from mend.measures.scoring import InvalidAnswers, score
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import Clinician, SignedIn

router = APIRouter(prefix="/api/v1", tags=["measures"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not found, or not visible to you."}
}


def _summary(instrument_id: str) -> InstrumentSummary:
    i = service.instrument(instrument_id)
    return InstrumentSummary(
        id=i.id,
        name=i.name,
        title=i.title,
        version=i.version,
        items=len(i.items),
        licence=i.licence.summary,
    )


@router.get("/instruments", response_model=list[InstrumentSummary])
async def list_instruments(user: SignedIn) -> list[InstrumentSummary]:
    return [_summary(i.id) for i in default_registry().all()]


@router.get("/instruments/{instrument_id}", response_model=InstrumentSummary, responses=NOT_FOUND)
async def get_instrument(instrument_id: str, user: SignedIn) -> InstrumentSummary:
    return _summary(instrument_id)


@router.post(
    "/score",
    response_model=ScoreResponse,
    responses={**NOT_FOUND, 422: {"description": "Answers that don't fit the instrument."}},
)
async def score_answers(body: ScoreRequest, user: SignedIn) -> ScoreResponse:
    definition = service.instrument(body.instrument)
    try:
        result = score(definition, body.answers)
    except InvalidAnswers as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    data = result.to_json_dict()
    return ScoreResponse(
        instrument=definition.id,
        version=definition.version,
        total=None if result.total is None else float(result.total),
        band=result.band,
        subscales=data["subscales"],
        flags=data["flags"],
        complete=result.complete,
    )


@router.get(
    "/clients/{client_id}/administrations",
    response_model=list[AdministrationOut],
    responses=NOT_FOUND,
)
async def client_administrations(
    client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> list[AdministrationOut]:
    client = access.client_for(db, user, client_id)
    out = []
    for entry in progress.progress_for(db, client):
        for point in entry.points:
            a = point.administration
            out.append(
                AdministrationOut(
                    id=a.id,
                    instrument=a.instrument_id,
                    version=a.instrument_version,
                    completed_at=a.completed_at,
                    total=a.total,
                    band=a.band,
                    subscales=a.subscales,
                    flags=a.flags,
                    answers=a.answers,
                    change=point.change.category if point.change else None,
                    rci=point.change.rci if point.change else None,
                )
            )
    access.record_read(db, actor=user, client=client, what="administrations", now=clock.now())
    db.commit()
    out.sort(key=lambda a: (a.completed_at or clock.now(), a.id))
    return out
