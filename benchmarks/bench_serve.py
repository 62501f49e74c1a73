"""Benchmark: 20 people at once check the five example answer files against ``procure serve``.

Starts the app as a user does (``python -m procure serve`` on a free port, ``--workers`` server
processes), then N users start together; each fetches the check page (for its CSRF cookie) and
posts the example spec with the five files in examples/answers/ — three filled XLSX templates,
one XLSX and one CSV export — as the browser's htmx form does, and gets the evaluation table
back. Every answer must rank the suppliers exactly as ``procure check`` does. Prints each
latency's max and median. Target: none slower than 5 s on the project's 2-core machine.

    .venv/bin/python benchmarks/bench_serve.py [--users 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procure.answers.evaluation import check_answers  # noqa: E402
from procure.tender.spec import load_spec  # noqa: E402

EXAMPLES = ROOT / "examples"
ANSWERS = sorted((EXAMPLES / "answers").iterdir())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "procure", "serve", "--port", str(port), "--workers",
         str(workers)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + server.stderr.read().decode()[-2000:])


def one_user(base: str, expected: list[str], start: threading.Event, out: list) -> None:
    files = [("answers", (p.name, p.read_bytes())) for p in ANSWERS]
    files.append(("spec", ("spec.yaml", (EXAMPLES / "spec.yaml").read_bytes())))
    with httpx.Client(base_url=base, timeout=120) as client:
        client.get("/answers")
        start.wait()
        began = time.perf_counter()
        r = client.post("/answers", data={"csrf": client.cookies["procure_csrf"]}, files=files,
                        headers={"HX-Request": "true"})
        took = time.perf_counter() - began
    shown = [re.sub("&amp;", "&", s) for s in
             re.findall(r'<th scope="row"><a href="#sup-\d+">([^<]+)</a>', r.text)]
    out.append((took, r.status_code == 200 and shown == expected))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="as procure serve's default")
    args = parser.parse_args()
    expected = list(check_answers(load_spec(EXAMPLES / "spec.yaml"), ANSWERS)
                    .suppliers["supplier"])
    port = free_port()
    server = start_server(port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        warm: list = []
        one_user(base, expected, _set(), warm)  # warm-up: the matcher and library load once
        start, results = threading.Event(), []
        threads = [threading.Thread(target=one_user, args=(base, expected, start, results))
                   for _ in range(args.users)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # every user has its page and token; now they all press "Granska"
        began = time.perf_counter()
        start.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = sorted(t for t, _ in results)
    right = sum(ok for _, ok in results)
    print(f"procure serve, {args.workers} worker process(es), {os.cpu_count()} CPUs: "
          f"{args.users} users at once, each checking the {len(ANSWERS)} example answer files "
          f"(examples/answers/: 4 XLSX, 1 CSV) against examples/spec.yaml")
    print(f"  answered right: {right}/{len(results)} (ranking as procure check: "
          f"{', '.join(expected)})")
    print(f"  latency: median {statistics.median(times):.2f} s, max {times[-1]:.2f} s "
          f"(target: max under 5 s); all done in {wall:.2f} s")
    print(f"  one user alone (warm-up): {warm[0][0]:.2f} s")
    if right != len(results) or times[-1] > 5:
        sys.exit(1)


def _set() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


if __name__ == "__main__":
    main()
