"""Imports every table so metadata is complete (for Alembic and test set-up)."""

from mend.care import models as care_models
from mend.identity import models as identity_models
from mend.measures import models as measures_models
from mend.platform import audit, outbox
from mend.platform.db import Base
from mend.practice import models as practice_models
from mend.safety import care_level as care_level_models
from mend.safety import crisis as crisis_models
from mend.safety import models as safety_models
from mend.safety import plans as safety_plans

__all__ = [
    "Base",
    "audit",
    "care_level_models",
    "care_models",
    "crisis_models",
    "identity_models",
    "measures_models",
    "outbox",
    "practice_models",
    "safety_models",
    "safety_plans",
]
