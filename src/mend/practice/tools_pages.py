"""The client's Tools page: every between-session tool on one screen, as big tiles with a
line saying what each is for. Each tool's own pages are built in its own module; this
page links to them by address only."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.web.policy import ClientUser
from mend.web.templating import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Tile:
    name: str
    description: str
    url: str


TILES: tuple[Tile, ...] = (
    Tile("Check-in", "Notice how you're doing right now, in a minute or two.", "/me/check-in"),
    Tile("Coping toolkit", "Breathing, grounding and other ways to settle.", "/me/coping"),
    Tile("Journal", "A private place to write things down.", "/me/journal"),
    Tile("Thought records", "Slow down a painful thought and look at it fairly.", "/me/thoughts"),
    Tile("Activities", "Plan small things that bring a little energy or joy.", "/me/activities"),
    Tile("My people", "Map your support and notice who feels safe.", "/me/people"),
    Tile("Boundaries", "Find and practise the words for what you need.", "/me/boundaries"),
    Tile(
        "Strengths",
        "Keep track of what you've got through and what you're good at.",
        "/me/strengths",
    ),
    Tile("Library", "Short reads about rejection, trust and healing.", "/me/library"),
    Tile("Recovery toolkit", "What helps you, gathered on one page you can print.", "/me/recovery"),
    Tile("My practice", "Homework from your clinician.", "/me/homework"),
    Tile("Safety plan", "Your steps for getting through a crisis.", "/me/safety-plan"),
)


@router.get("/me/tools", response_class=HTMLResponse)
async def my_tools(request: Request, user: ClientUser) -> Response:
    return render(request, "practice/tools_index.html", {"title": "My tools", "tiles": TILES})
