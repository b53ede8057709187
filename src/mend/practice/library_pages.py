"""Library pages: clients browse, search and read articles (each read is recorded, so a
reading set as homework shows whether it was opened); clinicians browse and preview them
before assigning one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mend.care import access
from mend.platform.errors import NotFound
from mend.practice import homework, library
from mend.practice.library import Article
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

# Longer than MAX_QUERY so a long search gets a friendly message rather than a bare 422.
SearchQuery = Annotated[str, Query(max_length=1000)]


def _listing(request: Request, q: str, *, base: str, for_client: bool) -> Response:
    q = q.strip()
    error = ""
    results: list[Article]
    if len(q) > library.MAX_QUERY:
        error = f"Please search with fewer words (up to {library.MAX_QUERY} characters)."
        results = []
    elif q:
        results = library.search(library.articles(), q)
    else:
        results = list(library.articles())
    context: dict[str, Any] = {
        "title": "Library",
        "q": q,
        "results": results,
        "error": error,
        "base": base,
        "for_client": for_client,
        "max_query": library.MAX_QUERY,
    }
    return render(request, "practice/library_list.html", context, 422 if error else 200)


def _article(article_id: str) -> Article:
    found = library.article(article_id)
    if found is None:
        raise NotFound()
    return found


@router.get("/me/library", response_class=HTMLResponse)
async def my_library(request: Request, user: ClientUser, q: SearchQuery = "") -> Response:
    return _listing(request, q, base="/me/library", for_client=True)


@router.get("/me/library/{article_id}", response_class=HTMLResponse)
async def read_article(
    request: Request, article_id: str, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    found = _article(article_id)
    homework.record_read(db, client=client, actor=user, article_id=found.id, now=clock.now())
    assigned = homework.open_reading(db, client, found.id)
    db.commit()
    return render(
        request,
        "practice/library_article.html",
        {
            "title": found.title,
            "article": found,
            "base": "/me/library",
            "for_client": True,
            "assigned": assigned,
        },
    )


@router.get("/clinic/library", response_class=HTMLResponse)
async def clinic_library(request: Request, user: Clinician, q: SearchQuery = "") -> Response:
    return _listing(request, q, base="/clinic/library", for_client=False)


@router.get("/clinic/library/{article_id}", response_class=HTMLResponse)
async def preview_article(request: Request, article_id: str, user: Clinician) -> Response:
    found = _article(article_id)
    return render(
        request,
        "practice/library_article.html",
        {"title": found.title, "article": found, "base": "/clinic/library", "for_client": False},
    )
