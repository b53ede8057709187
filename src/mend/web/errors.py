"""Errors routes raise, and how they are answered: pages get a calm HTML page,
/api gets JSON. Anything a person may not see answers 404, never 403, so the
answer does not reveal that a record exists."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mend.platform.errors import NotFound

__all__ = ["CsrfFailed", "NotFound", "NotSignedIn", "install_error_handlers"]


class NotSignedIn(Exception):
    def __init__(self, kept: bool = False) -> None:
        super().__init__()
        self.kept = kept  # a timed-out form was kept for after sign-in


class CsrfFailed(Exception):
    pass


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    from mend.web.templating import render

    def page(request: Request, status: int, title: str, message: str) -> Response:
        return render(
            request,
            "error.html",
            {"title": title, "message": message},
            status_code=status,
        )

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Not found."}, status_code=404)
        return page(request, 404, "Page not found", "We couldn't find that page.")

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Please sign in."}, status_code=401)
        if exc.kept:
            return RedirectResponse("/sign-in?kept=1", status_code=303)
        target = request.url.path
        return RedirectResponse(f"/sign-in?next={target}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        message = "This form had expired. Please go back, reload the page and try again."
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=403)
        return page(request, 403, "Please try again", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        if exc.status_code == 404:
            return page(request, 404, "Page not found", "We couldn't find that page.")
        if exc.status_code == 405:
            return page(request, 405, "Not available", "That page can't be used this way.")
        return page(request, exc.status_code, "Something went wrong", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"][1:]), "message": e["msg"]}
            for e in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"detail": problems}, status_code=422)
        text = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return page(
            request, 422, "Please check the form", f"Some of what was sent wasn't usable ({text})."
        )
