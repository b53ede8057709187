"""The `mend` command's set-up and audit commands, on a fresh SQLite file as `make run` uses.

(Scoring commands are tested in tests/measures/test_commands.py; what `setup --demo`
loads is tested on both databases in tests/test_demo.py.)
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mend.cli import app


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"MEND_DATA_DIR": str(tmp_path), "MEND_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def run(env: dict[str, str], *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env, input=input)
    return result.exit_code, result.stdout, result.stderr


def test_setup_with_demo_migrates_loads_and_prints_where_to_sign_in(
    env: dict[str, str], tmp_path: Path
) -> None:
    code, out, _ = run(env, "setup", "--demo")
    assert code == 0
    assert "http://127.0.0.1:8000/sign-in" in out
    assert "dr.rivera@example.org" in out and "mend-demo-password" in out
    assert (tmp_path / "encryption.keys").exists()
    code, out, _ = run(env, "setup", "--demo")
    assert code == 0 and "not loaded again" in out


def test_create_admin_then_audit_lists_the_event_and_the_chain_verifies(
    env: dict[str, str],
) -> None:
    code, out, err = run(
        env,
        "create-admin",
        "--email",
        "boss@clinic.test",
        "--name",
        "Boss",
        "--organisation",
        "New Clinic",
        "--password",
        "a long admin password",
        "--locale",
        "gb",
    )
    assert code == 0, err
    assert "boss@clinic.test" in out
    code, out, _ = run(env, "audit", "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["action"] for e in events] == ["user.create"]
    code, out, _ = run(env, "audit", "--verify")
    assert code == 0 and "intact" in out


def test_create_admin_refuses_a_weak_password_and_a_duplicate_email(env: dict[str, str]) -> None:
    args = [
        "create-admin",
        "--email",
        "boss@clinic.test",
        "--name",
        "Boss",
        "--organisation",
        "New Clinic",
    ]
    code, _, err = run(env, *args, "--password", "short")
    assert code == 2 and "at least 10 characters" in err
    assert run(env, *args, "--password", "a long admin password")[0] == 0
    code, _, err = run(env, *args, "--password", "a long admin password")
    assert code == 2 and "already uses that email" in err


def test_create_admin_refuses_an_unknown_locale(env: dict[str, str]) -> None:
    code, _, err = run(
        env,
        "create-admin",
        "--email",
        "a@b.test",
        "--name",
        "A",
        "--organisation",
        "O",
        "--password",
        "a long admin password",
        "--locale",
        "ZZ",
    )
    assert code == 2 and "Unknown locale" in err


def test_audit_verify_fails_when_an_event_was_edited(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "setup", "--demo")
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("UPDATE audit_events SET action = 'nothing.happened' WHERE id = 3")
    code, _, err = run(env, "audit", "--verify")
    assert code == 1
    assert "event 3" in err
