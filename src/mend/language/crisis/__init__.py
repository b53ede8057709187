"""Crisis-language screening: a learned model over sentence meaning, with the rules kept as
evidence and as a floor. `screen(text)` is the one entry point (see `screening.py`);
`rule_screen` is the rules alone."""

from mend.language.crisis.rule_screen import (
    LEVELS,
    NOTHING,
    Evidence,
    SetAside,
    level_rank,
    max_level,
)
from mend.language.crisis.rule_screen import screen as rule_screen
from mend.language.crisis.screening import Screening, screen, warm_up

__all__ = [
    "LEVELS",
    "NOTHING",
    "Evidence",
    "Screening",
    "SetAside",
    "level_rank",
    "max_level",
    "rule_screen",
    "screen",
    "warm_up",
]
