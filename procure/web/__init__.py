"""The browser app behind ``procure serve``: the whole job for officers who never open a terminal.

Server-rendered HTML (Starlette + Jinja2) with htmx for the interactive parts, every asset inside
the package (no CDN, no telemetry), every page readable without JavaScript. The routes are thin:
they read a form, call the same library functions as the CLI and render the result.
"""

from __future__ import annotations

from procure.web.app import create_app
from procure.web.pages import WebConfig

__all__ = ["WebConfig", "create_app"]
