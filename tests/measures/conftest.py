"""Shared fixtures for the measurement tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mend.measures.definitions import ENV_VAR, InstrumentRegistry, default_registry


@pytest.fixture(autouse=True)
def _isolated_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests never see a MEND_INSTRUMENTS_DIR from the developer's shell or a stale cache."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    default_registry.cache_clear()
    yield
    default_registry.cache_clear()


@pytest.fixture(scope="session")
def registry() -> InstrumentRegistry:
    return InstrumentRegistry.from_directories()
