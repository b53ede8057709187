"""Every route declares who may call it; none is left open by accident."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from mend.web.policy import is_policy


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, including those inside included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        router = getattr(route, "original_router", None)
        if router is not None:
            yield from api_routes(router.routes)


def _has_policy(dependant: Dependant) -> bool:
    return any(is_policy(d.call) or _has_policy(d) for d in dependant.dependencies)


def test_every_route_declares_an_access_policy(app: FastAPI) -> None:
    routes = list(api_routes(app.routes))
    assert len(routes) > 20
    missing = [f"{sorted(r.methods)} {r.path}" for r in routes if not _has_policy(r.dependant)]
    assert missing == []


def test_policy_walker_notices_a_route_without_policy() -> None:
    bare = FastAPI()

    @bare.get("/open")
    async def open_route() -> dict[str, str]:
        return {}

    route = next(api_routes(bare.routes))
    assert not _has_policy(route.dependant)
