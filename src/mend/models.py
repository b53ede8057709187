"""Imports every table so metadata is complete (for Alembic and test set-up)."""

from mend.care import models as care_models
from mend.identity import models as identity_models
from mend.measures import models as measures_models
from mend.platform import audit
from mend.platform.db import Base

__all__ = ["Base", "audit", "care_models", "identity_models", "measures_models"]
