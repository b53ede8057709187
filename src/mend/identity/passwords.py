"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this keeps a wrong email as slow as a wrong password, so
# response time does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("mend-dummy-password-for-timing")

MIN_LENGTH = 10
MAX_LENGTH = 200


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, confirm: str | None = None) -> str | None:
    """Why a chosen password cannot be used, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Please choose a password of at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Please choose a password of at most {MAX_LENGTH} characters."
    if password.strip() != password or not password.strip():
        return "Please don't start or end the password with a space."
    if confirm is not None and confirm != password:
        return "The two passwords don't match. Please type them again."
    return None
