"""Imports every table so metadata is complete (for Alembic and test set-up)."""

from mend.care import models as care_models
from mend.identity import models as identity_models
from mend.measures import models as measures_models
from mend.platform import audit, outbox
from mend.platform.db import Base
from mend.practice import activation as activation_models
from mend.practice import boundaries as boundaries_models
from mend.practice import checkins as checkin_models
from mend.practice import coping as coping_models
from mend.practice import homework as homework_models
from mend.practice import models as practice_models
from mend.practice import network as network_models
from mend.practice import strengths as strengths_models
from mend.practice import thoughts as thought_models
from mend.safety import care_level as care_level_models
from mend.safety import crisis as crisis_models
from mend.safety import models as safety_models
from mend.safety import plans as safety_plans

__all__ = [
    "Base",
    "activation_models",
    "audit",
    "boundaries_models",
    "care_level_models",
    "care_models",
    "checkin_models",
    "coping_models",
    "crisis_models",
    "homework_models",
    "identity_models",
    "measures_models",
    "network_models",
    "outbox",
    "practice_models",
    "safety_models",
    "safety_plans",
    "strengths_models",
    "thought_models",
]
