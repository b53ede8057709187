"""The one door every piece of a client's writing and every completed questionnaire
goes through on its way into Mend.

Free-text features (the journal now; thought records, notes and the rest later)
call `screen_text` before they commit; questionnaire completion calls
`screen_administration`. Both raise alerts in the caller's transaction, so what the
client wrote and the alert about it land together or not at all. Screening runs on
private text too — clients are told so plainly wherever they write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.measures.definitions import Instrument
from mend.measures.models import Administration
from mend.safety import service
from mend.safety.models import Alert
from mend.safety.rules import AnsweredItem, questionnaire_signals, text_signal


@dataclass(frozen=True)
class TextScreening:
    level: str
    evidence: list[dict[str, Any]]
    alert: Alert | None

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"


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
    from mend.language.crisis import screen  # the language models load on first use

    result = screen(text)
    evidence = list(result.to_json_dict()["evidence"])
    signal = text_signal(result.level, evidence, source_label)
    alert = None
    if signal is not None:
        alert = service.raise_alert(
            db,
            client=client,
            signal=signal,
            source_kind=source_kind,
            source_id=source_id,
            source_label=source_label,
            now=now,
            base_url=base_url,
        )
    return TextScreening(result.level, evidence, alert)


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
