"""Mend: measurement-based care and safety for rejection and interpersonal trauma."""

__version__ = "0.1.0"
