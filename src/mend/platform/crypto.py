"""Field encryption for free-text health information.

Sensitive text columns use `EncryptedText`; the ciphertext is what the database
holds, so a stolen database file or backup reveals nothing. Keys come from
settings (never the database); the first key encrypts and every key decrypts,
which lets an operator rotate keys and re-encrypt at leisure.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class EncryptionNotConfigured(RuntimeError):
    pass


class _KeyRing:
    def __init__(self) -> None:
        self._fernet: MultiFernet | None = None

    def configure(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    @property
    def fernet(self) -> MultiFernet:
        if self._fernet is None:
            raise EncryptionNotConfigured("field encryption keys were not configured")
        return self._fernet


keyring = _KeyRing()


def configure_encryption(keys: list[bytes]) -> None:
    keyring.configure(keys)


def encrypt(text: str) -> str:
    return keyring.fernet.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring.fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise EncryptionNotConfigured(
            "a stored value could not be decrypted with the configured keys"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored value under the current primary key."""
    return keyring.fernet.rotate(token.encode("ascii")).decode("ascii")


class EncryptedText(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(str(value))


class EncryptedJSON(TypeDecorator[Any]):
    """JSON whose content is health information: stored as encrypted text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(json.dumps(value, separators=(",", ":")))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(decrypt(str(value)))
