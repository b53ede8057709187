"""The one door every piece of a client's writing and every completed questionnaire
goes through on its way into Mend.

Free-text features call `screen_text` before they commit; questionnaire completion calls
`screen_administration`. Both raise alerts in the caller's transaction, so what the
client wrote and the alert about it land together or not at all. Screening runs on
private text too — clients are told so plainly wherever they write.

Every text screening is recorded (`TextScreening`) with the screener's version and its full
explanation. When the crisis-language model was unavailable and the rules alone screened a
text, the record keeps the text (encrypted) and `rescreen_pending` screens it again once the
model is back, raising an alert if the model finds more than the rules did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mend.care.models import Client
from mend.measures.definitions import Instrument
from mend.measures.models import Administration
from mend.platform.clock import Clock
from mend.safety import service
from mend.safety.models import Alert
from mend.safety.models import TextScreening as ScreeningRecord
from mend.safety.rules import AnsweredItem, questionnaire_signals, text_signal


@dataclass(frozen=True)
class TextScreening:
    level: str
    evidence: list[dict[str, Any]]
    alert: Alert | None

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"


# Writing the crisis-language model was not trained to read is screened by the rules alone.
# The model learned from first-person journal writing; it misreads these:
# - a safety plan is written about risk on purpose: warning signs, and the means to put out of
#   reach ("ask Sam to keep my tablets" screened urgent);
# - DEAR MAN scripts and boundary plans are words to say to someone else ("I can't lend you
#   money this time" screened urgent);
# - a support-network entry is a name and a relationship, and a calm place is a handful of
#   sensory words ("tide", "cool sand under my feet" screened concern), not writing.
# The rules know a plan's hypotheticals and still catch explicit risk in any of them.
RULES_ONLY_SOURCES = frozenset(
    {"safety_plan", "dear_man", "boundary_plan", "network_person", "coping_place"}
)


def screen_text(
    db: Session,
    *,
    client: Client,
    source_kind: str,
    source_id: object,
    source_label: str,
    text: str,
    now: datetime,
    base_url: str,
) -> TextScreening:
    from mend.language.crisis.screening import RULES_ONLY, screen

    result = screen(text, use_model=source_kind not in RULES_ONLY_SOURCES)
    evidence = [e.to_json_dict() for e in result.evidence] + result.model_evidence()
    alert = _alert_for(
        db, client, result.level, evidence, source_kind, source_id, source_label, now, base_url
    )
    if alert is not None:
        alert.screener_version = result.version
    pending = result.mode == RULES_ONLY and bool(text.strip())
    db.add(
        ScreeningRecord(
            organisation_id=client.organisation_id,
            client_id=client.id,
            source_kind=source_kind,
            source_id="" if source_id is None else str(source_id),
            source_label=source_label[:120],
            level=result.level,
            mode=result.mode,
            screener_version=result.version[:200],
            result=result.to_json_dict(),
            pending_text=text if pending else None,
            pending=pending,
            created_at=now,
        )
    )
    return TextScreening(result.level, evidence, alert)


def _alert_for(
    db: Session,
    client: Client,
    level: str,
    evidence: list[dict[str, Any]],
    source_kind: str,
    source_id: object,
    source_label: str,
    now: datetime,
    base_url: str,
) -> Alert | None:
    signal = text_signal(level, evidence, source_label)
    if signal is None:
        return None
    return service.raise_alert(
        db,
        client=client,
        signal=signal,
        source_kind=source_kind,
        source_id=source_id,
        source_label=source_label,
        now=now,
        base_url=base_url,
    )


RESCREEN_BATCH = 50


def rescreen_pending(factory: sessionmaker[Session], clock: Clock, base_url: str) -> int:
    """Screen again, with the model, texts the rules alone screened while it was unavailable.

    A level the model raises above the rules' gets its alert now, with the same source; the
    kept text is then dropped from the record. Returns how many texts were screened again.
    Does nothing (and asks the model to load) while the model is still unavailable.
    """
    from mend.language.crisis.rule_screen import level_rank
    from mend.language.crisis.screening import MODEL, RULES_ONLY, screen

    if MODEL.get(0) is None:
        return 0
    done = 0
    with factory() as db:
        query = (
            select(ScreeningRecord)
            .where(ScreeningRecord.pending.is_(True))
            .order_by(ScreeningRecord.id)
            .limit(RESCREEN_BATCH)
        )
        if db.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        now = clock.now()
        for record in db.scalars(query).all():
            result = screen(record.pending_text or "", wait=0)
            if result.mode == RULES_ONLY:
                break
            if level_rank(result.level) > level_rank(record.level):
                client = db.get(Client, record.client_id)
                if client is not None:
                    evidence = [e.to_json_dict() for e in result.evidence] + result.model_evidence()
                    alert = _alert_for(
                        db,
                        client,
                        result.level,
                        evidence,
                        record.source_kind,
                        record.source_id or None,
                        record.source_label,
                        now,
                        base_url,
                    )
                    if alert is not None:
                        alert.screener_version = result.version
            record.level = result.level
            record.mode = result.mode
            record.screener_version = result.version[:200]
            record.result = result.to_json_dict()
            record.pending_text = None
            record.pending = False
            record.rescreened_at = now
            done += 1
        db.commit()
    return done


def screener_unavailable() -> str | None:
    """Why the crisis-language model is not screening in this process, if it is not."""
    from mend.language.crisis.screening import MODEL

    return MODEL.error if MODEL.failed else None


def screen_administration(
    db: Session,
    *,
    client: Client,
    administration: Administration,
    definition: Instrument,
    now: datetime,
    base_url: str,
) -> list[Alert]:
    items = []
    for item, answer in zip(definition.items, administration.answers, strict=True):
        label = next((o.label for o in definition.options[item.options] if o.code == answer), None)
        items.append(AnsweredItem(item.number, item.text, answer, label))
    signals = questionnaire_signals(
        definition.id,
        items,
        administration.total,
        administration.band,
        service.thresholds_for(db, client.organisation_id),
    )
    return [
        service.raise_alert(
            db,
            client=client,
            signal=signal,
            source_kind="questionnaire",
            source_id=administration.id,
            source_label=f"{definition.name} completed {administration.completed_at:%-d %b %Y}"
            if administration.completed_at
            else definition.name,
            now=now,
            base_url=base_url,
        )
        for signal in signals
    ]
