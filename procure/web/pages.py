"""What every page needs: the configuration, the language, the CSRF check, the shared library.

:class:`Pages` renders templates with the request's language and CSRF token, reads forms after
checking the token (double submit: a random cookie per browser, the same value in the form or in
htmx's ``X-CSRF-Token`` header, cookie ``SameSite=Strict``), and runs library work through
:mod:`procure.web.jobs`. Routes get one ``Pages`` from the app factory.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from procure import __version__
from procure.criteria import load_criteria_set
from procure.i18n import LANGS, pick
from procure.matching import Matcher
from procure.model import CriteriaSet
from procure.register.db import Register, open_register
from procure.web import jobs
from procure.web.jobs import Outcome, WebError
from procure.web.store import FileStore

HERE = Path(__file__).resolve().parent
CSRF_COOKIE = "procure_csrf"
LANG_COOKIE = "procure_lang"
MB = 1024 * 1024
T = TypeVar("T")


@dataclass
class WebConfig:
    """How the app runs: where it keeps files, the upload limit, the register database."""

    workdir: str | Path | None = None  # None: a fresh temporary folder, removed at shutdown
    max_upload_mb: int = 50
    db: str | None = None  # the register's database URL or path (None: the register's default)
    lang: str = "sv"  # pages for a browser that has not chosen (procure serve --lang)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> WebConfig:
        """The configuration ``procure serve`` hands to each server worker."""
        return cls(workdir=os.environ.get("PROCURE_WEB_DIR") or None,
                   max_upload_mb=int(os.environ.get("PROCURE_WEB_MAX_MB", "50")),
                   db=os.environ.get("PROCURE_DB") or None,
                   lang="en" if os.environ.get("PROCURE_WEB_LANG") == "en" else "sv")


def request_lang(request: Request) -> str:
    """``?lang=`` first (and remembered in a cookie), then the cookie, else the app's language
    (Swedish unless ``procure serve --lang en``)."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in LANGS:
            return value
    return getattr(request.app.state, "lang", "sv")


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
        self._register: Register | None = None
        self.nav: list[tuple[str, str, str, str]] = []  # (section, href, Swedish, English)

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

    def register(self) -> Register:
        """The app's one register (``procure serve --db``), opened on first use and kept open.

        A missing or outdated register is the library's one-line error naming the command that
        makes or upgrades it; it is tried again on the next request. Call it inside
        :meth:`run` (which holds the lock, so two requests never open it at once).
        """
        if self._register is None:
            self._register = open_register(self.config.db)
        return self._register

    def close(self) -> None:
        """At shutdown: close the register, remove the working folder if the app made it."""
        if self._register is not None:
            self._register.close()
            self._register = None
        self.store.close()

    def run(self, request: Request, work: Callable[[], T]) -> Outcome[T]:
        """Library work in the request's language; errors become one line (see jobs.run)."""
        return jobs.run(work, request_lang(request), self.store.clean)

    async def arun(self, request: Request, work: Callable[[], T]) -> Outcome[T]:
        """:meth:`run` from an async route: in a worker thread, so the server keeps answering."""
        return await run_in_threadpool(self.run, request, work)

    def result(self, request: Request, url: str, fragment: str, **context: Any) -> Response:
        """The answer to a form that made a result at ``url``.

        Without JavaScript: a redirect there (reloading it never posts again). With htmx: just
        the result, swapped into the page, and ``url`` pushed into the address bar.
        """
        if not is_htmx(request):
            return RedirectResponse(url, status_code=303)
        response = self.render(request, fragment, **context)
        response.headers["HX-Push-Url"] = url
        return response

    def extra_nav(self, lang: str) -> list[tuple[str, str, str]]:
        """Menu entries for parts that are present (the register, when it is installed)."""
        return [(key, href, pick(lang, sv, en)) for key, href, sv, en in self.nav]

    async def form(self, request: Request) -> FormData:
        """The posted form, after the CSRF check (a 403 page when the token does not match)."""
        form = await request.form(max_files=50, max_fields=2000)
        request.state.procure_form = form  # closed (temporary upload files too) after the answer
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = str(form.get("csrf") or request.headers.get("X-CSRF-Token") or "")
        if not cookie or not hmac.compare_digest(cookie, sent):
            raise WebError(pick(request_lang(request),
                                "Formuläret har gått ut. Ladda om sidan och försök igen.",
                                "The form has expired. Reload the page and try again."), 403)
        return form
