"""The app factory: configuration, templates, language, CSRF, upload limit and error pages.

Every changing form carries a CSRF token (double submit: a random cookie per browser, the same
value in the form or in htmx's ``X-CSRF-Token`` header, cookie ``SameSite=Strict``). Uploads
above the size limit are refused before they are read. Errors are one line in the user's
language; a bug shows a short apology, never a traceback.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from procure import __version__
from procure.criteria import load_criteria_set
from procure.i18n import LANGS, pick
from procure.matching import Matcher
from procure.model import CriteriaSet
from procure.web import jobs
from procure.web.jobs import Outcome, WebError
from procure.web.store import FileStore

HERE = Path(__file__).resolve().parent
CSRF_COOKIE = "procure_csrf"
LANG_COOKIE = "procure_lang"
MB = 1024 * 1024
log = logging.getLogger("procure.web")
T = TypeVar("T")


@dataclass
class WebConfig:
    """How the app runs: where it keeps files, the upload limit, the register database."""

    workdir: str | Path | None = None  # None: a fresh temporary folder, removed at shutdown
    max_upload_mb: int = 50
    db: str | None = None  # the register's database URL or path (None: the register's default)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> WebConfig:
        """The configuration ``procure serve`` hands to each server worker."""
        return cls(workdir=os.environ.get("PROCURE_WEB_DIR") or None,
                   max_upload_mb=int(os.environ.get("PROCURE_WEB_MAX_MB", "50")),
                   db=os.environ.get("PROCURE_DB") or None)


class TooLarge(Exception):
    """The request body passed the upload limit."""


def request_lang(request: Request) -> str:
    """``?lang=`` first (and remembered in a cookie), then the cookie, else Swedish."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in LANGS:
            return value
    return "sv"


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


class Pages:
    """Renders templates with what every page needs: language, CSRF token, navigation."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.templates = Jinja2Templates(env=jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True))
        self.store = FileStore(config.workdir)
        self._matchers: dict[str, Matcher] = {}

    def render(self, request: Request, name: str, status: int = 200, **context: Any
               ) -> Response:
        lang = request_lang(request)
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf = token

        def t(sv: str, en: str) -> str:
            return pick(lang, sv, en)

        response = self.templates.TemplateResponse(request, name, {
            "lang": lang, "t": t, "csrf": token, "version": __version__,
            "htmx": is_htmx(request), "section": request.url.path.strip("/").split("/")[0],
            "extra_nav": self.extra_nav(lang), **context,
        }, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, request.query_params["lang"], samesite="lax",
                                max_age=365 * 24 * 3600)
        return response

    @cached_property
    def criteria_set(self) -> CriteriaSet:
        """The built-in library, loaded once (uploaded specs are resolved against it)."""
        return load_criteria_set()

    def matcher(self, lang: str) -> Matcher:
        """One matcher per language, built on first use (building takes a moment)."""
        if lang not in self._matchers:
            self._matchers[lang] = Matcher(self.criteria_set, lang=lang)
        return self._matchers[lang]

    def run(self, request: Request, work: Callable[[], T]) -> Outcome[T]:
        """Library work in the request's language; errors become one line (see jobs.run)."""
        return jobs.run(work, request_lang(request), self.store.clean)

    async def arun(self, request: Request, work: Callable[[], T]) -> Outcome[T]:
        """:meth:`run` from an async route: in a worker thread, so the server keeps answering."""
        return await run_in_threadpool(self.run, request, work)

    def extra_nav(self, lang: str) -> list[tuple[str, str, str]]:
        """Menu entries for parts that are present (the register, when it is installed)."""
        return []

    async def form(self, request: Request) -> FormData:
        """The posted form, after the CSRF check (a 403 page when the token does not match)."""
        form = await request.form(max_files=50, max_fields=2000)
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = str(form.get("csrf") or request.headers.get("X-CSRF-Token") or "")
        if not cookie or not hmac.compare_digest(cookie, sent):
            raise WebError(pick(request_lang(request),
                                "Formuläret har gått ut. Ladda om sidan och försök igen.",
                                "The form has expired. Reload the page and try again."), 403)
        return form


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
    from procure.web import routes_answers, routes_library, routes_procurement, routes_spend

    config = config or WebConfig()
    pages = Pages(config)
    routes: list[Route | Mount] = [
        *routes_library.routes(pages),
        *routes_procurement.routes(pages),
        *routes_answers.routes(pages),
        *routes_spend.routes(pages),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    def error_page(request: Request, message: str, status: int) -> Response:
        template = "_error.html" if is_htmx(request) else "error.html"
        response = pages.render(request, template, status=status, message=message)
        if is_htmx(request):  # htmx swaps only 2xx answers; the error still goes to the page
            response.status_code = 200
            response.headers["HX-Retarget"] = "#result"
            response.headers["HX-Reswap"] = "innerHTML"
        return response

    async def on_web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return error_page(request, exc.message, exc.status)

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
        exception_handlers={WebError: on_web_error, TooLarge: on_too_large,
                            HTTPException: on_http, Exception: on_bug},
        lifespan=_lifespan(pages),
    )
    app.state.pages = pages

    async def guard(request: Request, call_next: Callable[..., Awaitable[Response]]) -> Response:
        if request.scope.get("procure_too_large"):
            return await on_too_large(request, TooLarge())
        response = await call_next(request)
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
    """Remove the app's own temporary folder when the server stops."""
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pages.store.close()
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
