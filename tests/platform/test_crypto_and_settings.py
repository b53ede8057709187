from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from mend.platform import crypto
from mend.platform.settings import Settings, SettingsError


def test_keys_are_generated_once_into_the_data_directory(tmp_path: Path) -> None:
    first = Settings(environment="development", data_dir=tmp_path)
    keys = first.fernet_keys
    assert (tmp_path / "encryption.keys").exists()
    assert (tmp_path / "encryption.keys").stat().st_mode & 0o777 == 0o600
    assert Settings(environment="development", data_dir=tmp_path).fernet_keys == keys
    assert (
        first.signing_secret
        == Settings(environment="development", data_dir=tmp_path).signing_secret
    )


def test_production_refuses_to_invent_keys(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        _ = Settings(environment="production", data_dir=tmp_path).fernet_keys


def test_a_malformed_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        _ = Settings(data_dir=tmp_path, encryption_keys="not-a-key").fernet_keys


def test_rotation_old_values_still_decrypt_and_re_encrypt_under_the_new_key() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    crypto.configure_encryption([old])
    stored = crypto.encrypt("my journal")
    crypto.configure_encryption([new, old])
    assert crypto.decrypt(stored) == "my journal"
    rotated = crypto.rotate(stored)
    crypto.configure_encryption([new])
    assert crypto.decrypt(rotated) == "my journal"
    with pytest.raises(crypto.EncryptionNotConfigured):
        crypto.decrypt(stored)


def test_postgres_url_is_accepted_in_its_usual_form(tmp_path: Path) -> None:
    from mend.platform.db import make_engine

    engine = make_engine("postgresql://someone@127.0.0.1:5432/mend")
    assert engine.dialect.driver == "psycopg"
