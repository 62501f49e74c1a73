"""``procure serve``: the browser app on this computer (or, with a warning, on the network)."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile

import click

from procure.cli.output import lang_option
from procure.i18n import pick

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only 127.0.0.1 keeps the app to this computer.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--db", default=None,
              help="The register's database: a file path or a URL (default: $PROCURE_DB).")
@click.option("--max-upload-mb", type=click.IntRange(1, 2000), default=50, show_default=True,
              help="Largest upload accepted, in MB.")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Server processes; more answer more people at once (default: 2, or 1 on a "
                   "one-core machine).")
@lang_option
def serve(host: str, port: int, db: str | None, max_upload_mb: int, workers: int | None,
          lang: str) -> None:
    """Start the browser app: the criteria library, new procurements, checking answers, spend.

    Open the address it prints in a web browser. It has no login: by default it listens on
    127.0.0.1 only, so nobody else can reach it. Stop it with Ctrl+C. Pages are Swedish
    (--lang en: English) until a browser picks the other language with the link at the top.

    Example: procure serve --port 8000
    """
    import uvicorn

    if host not in LOCAL_HOSTS:
        click.echo(pick(lang,
                        f"Varning: appen har ingen inloggning och kan nu nås av alla som når "
                        f"{host}:{port}. Använd bara detta i ett skyddat nät.",
                        f"Warning: the app has no login and can now be reached by anyone who "
                        f"reaches {host}:{port}. Use this only on a protected network."),
                   err=True)
    workers = workers or min(2, os.cpu_count() or 1)
    workdir = tempfile.mkdtemp(prefix="procure-web-")
    os.environ["PROCURE_WEB_DIR"] = workdir
    os.environ["PROCURE_WEB_MAX_MB"] = str(max_upload_mb)
    os.environ["PROCURE_WEB_LANG"] = lang
    if db:
        os.environ["PROCURE_DB"] = db
    shown = f"[{host}]" if ":" in host else host
    click.echo(pick(lang, f"procure körs på http://{shown}:{port}/ (stoppa med Ctrl+C)",
                    f"procure runs at http://{shown}:{port}/ (stop with Ctrl+C)"))
    # uvicorn re-raises SIGTERM after its graceful shutdown; end through Python instead, so the
    # uploads folder below is removed however the server is stopped (Ctrl+C, kill, a service)
    signal.signal(signal.SIGTERM, _stop)
    try:
        uvicorn.run("procure.web.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    click.echo(pick(lang, "procure har stoppats.", "procure has stopped."))


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


commands = [serve]
