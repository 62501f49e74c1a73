"""The app factory: routes, upload limit, security headers and error pages.

Uploads above the size limit are refused before they are read. Errors are one line in the
user's language; a bug shows a short apology (and is logged), never a traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from procure.errors import ProcureError
from procure.i18n import pick
from procure.web.jobs import WebError
from procure.web.pages import HERE, MB, Pages, WebConfig, is_htmx, request_lang

log = logging.getLogger("procure.web")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")  # an element id htmx sends as HX-Target


class TooLarge(Exception):
    """The request body passed the upload limit."""


def _limit_body(app: Callable[..., Awaitable[None]], limit: int) -> Callable[..., Awaitable[None]]:
    """ASGI wrapper: refuse a body over ``limit`` bytes, by its header or as it arrives."""
    async def wrapped(scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                      send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            scope = {**scope, "procure_too_large": True}
        seen = 0

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            return message

        await app(scope, counted, send)
    return wrapped


def create_app(config: WebConfig | None = None) -> Starlette:
    """The browser app; ``config`` defaults to a fresh temporary folder and a 50 MB limit."""
    from procure.web import (
        routes_answers,
        routes_deviations,
        routes_library,
        routes_procurement,
        routes_register,
        routes_report,
        routes_spend,
    )

    config = config or WebConfig()
    pages = Pages(config)
    routes: list[Route | Mount] = [
        *routes_library.routes(pages),
        *routes_procurement.routes(pages),
        *routes_answers.routes(pages),
        *routes_spend.routes(pages),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    routes[-1:-1] = [*routes_register.routes(pages), *routes_deviations.routes(pages)]
    pages.nav += [("register", "/register", "Avtal", "Contracts"),
                  ("followup", "/followup", "Uppföljning", "Follow-up")]
    routes[-1:-1] = routes_report.routes(pages)
    pages.nav += [("report", "/report", "Rapport", "Report")]

    def error_page(request: Request, message: str, status: int) -> Response:
        template = "_error.html" if is_htmx(request) else "error.html"
        response = pages.render(request, template, status=status, message=message)
        if is_htmx(request):  # htmx swaps only 2xx answers; the error still goes to the page
            response.status_code = 200  # where the form's result goes (htmx names its target)
            target = request.headers.get("HX-Target") or ""
            response.headers["HX-Retarget"] = "#" + (target if _ID.fullmatch(target)
                                                     else "result")
            response.headers["HX-Reswap"] = "innerHTML"
        return response

    async def on_web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return error_page(request, exc.message, exc.status)

    async def on_library_error(request: Request, exc: Exception) -> Response:
        """A library error outside :meth:`Pages.run` (a job id that is gone): one line too."""
        message = pages.run(request, lambda: str(exc)).value
        return error_page(request, pages.store.clean(message), 400)

    async def on_too_large(request: Request, exc: Exception) -> Response:
        lang = request_lang(request)
        return error_page(request, pick(
            lang, f"Filen är för stor: högst {config.max_upload_mb} MB åt gången.",
            f"The file is too large: at most {config.max_upload_mb} MB at a time."), 413)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        lang = request_lang(request)
        message = (pick(lang, "Sidan finns inte.", "There is no such page.")
                   if exc.status_code == 404 else str(exc.detail))
        return error_page(request, message, exc.status_code)

    async def on_bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_page(request, pick(
            request_lang(request),
            "Något gick fel i programmet. Felet är loggat i terminalen där procure serve körs.",
            "Something went wrong in the program. The error is logged in the terminal where "
            "procure serve runs."), 500)

    app = Starlette(
        routes=routes,
        exception_handlers={WebError: on_web_error, ProcureError: on_library_error,
                            TooLarge: on_too_large,
                            HTTPException: on_http, Exception: on_bug},
        lifespan=_lifespan(pages),
    )
    app.state.pages = pages
    app.state.lang = config.lang

    async def guard(request: Request, call_next: Callable[..., Awaitable[Response]]) -> Response:
        if request.scope.get("procure_too_large"):
            return await on_too_large(request, TooLarge())
        try:
            response = await call_next(request)
        finally:
            form = getattr(request.state, "procure_form", None)
            if form is not None:
                await form.close()
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response

    app.add_middleware(BaseHTTPMiddleware, dispatch=guard)
    app.add_middleware(_LimitMiddleware, limit=config.max_upload_mb * MB)
    return app


def _lifespan(pages: Pages) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Load the criteria library before the first request; remove the app's folder at the end.

    The server answers only once the library is loaded, so the first person to check answers
    does not wait for it.
    """
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(lambda: pages.criteria_set)
        yield
        pages.close()
    return lifespan


class _LimitMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]], limit: int) -> None:
        self.app = _limit_body(app, limit)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)



def app_from_env() -> Starlette:
    """The app as ``procure serve`` starts it in each server process (see WebConfig.from_env)."""
    config = WebConfig.from_env()
    app = create_app(config)
    app.state.pages.store.owned = False  # shared by the workers; serve removes it at the end
    return app
