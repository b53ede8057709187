"""Settings read from the environment (prefix MEND_), with keys kept out of the database.

Secrets that must survive restarts (the signing secret and the field-encryption keys)
are generated on first run into the data directory when the environment does not
provide them, so a solo practice needs no configuration at all.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """A setting has a value Mend cannot run with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEND_", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    # Comma-separated Fernet keys; the first encrypts, all decrypt (rotation).
    encryption_keys: str = ""
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    session_idle_minutes: int = Field(default=60, ge=5, le=24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=24 * 14)
    invitation_days: int = Field(default=7, ge=1, le=60)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    cookie_secure: bool = False
    instruments_dir: str = ""
    # Run escalation and e-mail delivery inside the web server process. Turn off when
    # separate `mend worker` processes do it (several may run; each message goes once).
    embedded_worker: bool = True

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mend.db').resolve()}"

    def _read_or_create(self, name: str, make: str) -> str:
        path = self.data_dir / name
        if path.exists():
            return path.read_text().strip()
        if self.environment == "production":
            raise SettingsError(
                f"MEND_{name.split('.')[0].upper().replace('-', '_')} is not set and no "
                f"{path} exists; production needs an explicit key."
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(make + "\n")
        path.chmod(0o600)
        return make

    @cached_property
    def signing_secret(self) -> str:
        return self.secret_key or self._read_or_create("secret.key", secrets.token_urlsafe(48))

    @cached_property
    def fernet_keys(self) -> list[bytes]:
        raw = self.encryption_keys or self._read_or_create(
            "encryption.keys", Fernet.generate_key().decode()
        )
        keys = [k.strip().encode() for k in raw.replace("\n", ",").split(",") if k.strip()]
        for key in keys:
            try:
                Fernet(key)
            except ValueError as exc:
                raise SettingsError(
                    "MEND_ENCRYPTION_KEYS holds a key that is not a Fernet key"
                ) from exc
        if not keys:
            raise SettingsError("MEND_ENCRYPTION_KEYS is empty")
        return keys


def load_settings() -> Settings:
    return Settings()
