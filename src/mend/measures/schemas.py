"""JSON shapes for the measures API (kept apart from the database tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class InstrumentSummary(BaseModel):
    id: str
    name: str
    title: str
    version: str
    items: int
    licence: str


class ScoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instrument: str = Field(min_length=1, max_length=64)
    answers: list[int | None] = Field(min_length=1, max_length=200)


class ScoreResponse(BaseModel):
    instrument: str
    version: str
    total: float | None
    band: str | None
    subscales: dict[str, Any]
    flags: list[dict[str, Any]]
    complete: bool


class AdministrationOut(BaseModel):
    id: int
    instrument: str
    version: str
    completed_at: datetime | None
    total: float | None
    band: str | None
    subscales: dict[str, Any]
    flags: list[dict[str, Any]]
    answers: list[int | None]
    change: str | None
    rci: float | None
