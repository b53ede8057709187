"""What a client is shown right after writing or answering something that needs it
(`rules.needs_support_page`): their care team has been told, the crisis lines for their
country, and their own safety plan. It is the whole of /me/support, and it goes at the
top of a form sent back for correction, so that being asked to fix a date never hides
it. Rendered by the server: no JavaScript needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.identity.models import User
from mend.safety import plans
from mend.safety.plans import PlanView

# Where a client goes right after a save whose words need support.
SUPPORT_URL = "/me/support?told=1"


@dataclass(frozen=True)
class Support:
    plan: PlanView | None


def support_for(db: Session, client: Client, *, actor: User, now: datetime) -> Support:
    """The support content for this client. Reading the plan is recorded in the audit
    trail; the caller commits."""
    return Support(plans.current_plan(db, client, actor=actor, now=now))


def offer_support(
    request: Request, db: Session, client: Client, *, actor: User, now: datetime
) -> None:
    """Show the support content at the top of whichever page answers this request."""
    request.state.support_first = support_for(db, client, actor=actor, now=now)
    db.commit()  # the plan read is audited
