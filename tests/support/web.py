"""A test browser over FastAPI's TestClient that signs people in and fills CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

import httpx2 as httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from mend.identity import service as identity
from mend.identity.models import User
from mend.platform.clock import Clock
from mend.platform.settings import Settings
from mend.web.deps import SESSION_COOKIE

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    def __init__(self, app: FastAPI) -> None:
        self.http = TestClient(app, follow_redirects=False)
        self.csrf: str | None = None

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = self.http.get(path, **kwargs)
        match = (
            CSRF_RE.search(response.text)
            if "text/html" in response.headers.get("content-type", "")
            else None
        )
        if match:
            self.csrf = match.group(1)
        return response

    def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            if self.csrf is None:
                self.get("/sign-in")
            data["csrf_token"] = self.csrf
        return self.http.post(path, data=data, **kwargs)

    def post_json(self, path: str, body: Any, *, csrf: bool = True) -> httpx.Response:
        headers = {"x-csrf-token": self.csrf or ""} if csrf else {}
        return self.http.post(path, json=body, headers=headers)


def sign_in(
    app: FastAPI,
    factory: sessionmaker[Session],
    user: User,
    clock: Clock,
    settings: Settings,
) -> Browser:
    """A browser already signed in as `user` (skips the password form, which has its own tests)."""
    with factory() as db:
        fresh = db.get(User, user.id)
        assert fresh is not None
        token, row = identity.start_session(db, user=fresh, now=clock.now(), settings=settings)
        csrf = row.csrf_token
        db.commit()
    browser = Browser(app)
    browser.http.cookies.set(SESSION_COOKIE, token)
    browser.csrf = csrf
    return browser
