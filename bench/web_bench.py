"""Benchmark the portal under concurrent load: gunicorn on 127.0.0.1, wrk as the load.

    .venv/bin/python bench/web_bench.py --events 10000
    .venv/bin/python bench/web_bench.py --events 1000000 --keep /var/tmp/web-1m
    .venv/bin/python bench/web_bench.py --data-dir /var/tmp/web-1m   # reuse a kept store

Writes a fresh store of real Coop events (bench/web_history.py: members, circles,
offers and asks, gives answering them, confirmed, disputed and reversed, referrals),
catches the read models up, starts ``gunicorn wsgi:app`` (gunicorn.conf.py: 2 x cores
+ 1 sync workers) and loads three pages, one after the other, signed in as a "probe"
member:

- the dashboard (``/``), the statement (``/ledger/``) and the open asks (``/asks/``).

The probe has the same history in every store size (its gives, asks, offers, waiting
gives and referrals spread evenly over the log), so a page's time says whether it
depends on the size of the log (it should not) rather than on the member.

The load is ``wrk`` (apt install wrk) when it is installed, else a Python generator
with threads (which itself needs much of the CPU it shares with the server).
Results and the machine they ran on: docs/benchmarks.md, "Portal".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web_history import PASSWORD, PROBE, prepare  # noqa: E402
from coop.cli.projections import collect_garbage_for_bulk_work  # noqa: E402

PAGES = {"dashboard": "/", "statement": "/ledger/", "asks": "/asks/"}


# -- the server ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data_dir: Path, port: int, workers: int | None) -> subprocess.Popen[bytes]:
    """Start gunicorn (as in production: gunicorn.conf.py) and wait until it answers."""
    env = {**os.environ, "COOP_DATA_DIR": str(data_dir), "COOP_BIND": f"127.0.0.1:{port}",
           "COOP_SECRET_KEY": "bench-" + "s" * 40, "COOP_ENV": "production"}
    env.pop("COOP_DATABASE_URL", None)
    if workers:
        env["COOP_WORKERS"] = str(workers)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py",
         "--access-logfile", "/dev/null", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 20 s")


def sign_in(base: str) -> str:
    """Sign the probe in; return the Cookie header of its session."""
    with urllib.request.urlopen(f"{base}/sign-in") as page:
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode())
    assert token, "no CSRF token on the sign-in page"
    form = urllib.parse.urlencode({"csrf_token": token.group(1), "email": PROBE,
                                   "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/sign-in", data=form, headers={"Cookie": cookie})

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # keep the 302 and its cookie

    try:
        urllib.request.build_opener(Stay).open(request)
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
        return str(answer.headers["Set-Cookie"].split(";", 1)[0])
    raise SystemExit("signing in did not redirect")


# -- the load --------------------------------------------------------------------------
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status, summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def load_wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", script.name, "-H", f"Cookie: {cookie}", url],
            capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    assert found, out
    requests, micros, p50, p95, p99, bad, failed = map(int, found.groups())
    return {"rps": requests / (micros / 1e6), "p50": p50 / 1000, "p95": p95 / 1000,
            "p99": p99 / 1000, "requests": requests, "errors": bad + failed}


def load_python(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    """The same measure without wrk: threads, each one request at a time."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    stop = time.perf_counter() + seconds
    times: list[float] = []
    errors = [0]

    def client() -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                conn.request("GET", parts.path or "/", headers={"Cookie": cookie})
                answer = conn.getresponse()
                answer.read()
                if answer.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
            finally:
                conn.close()
            times.append(time.perf_counter() - started)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(times, n=100)
    return {"rps": len(times) / elapsed, "p50": cuts[49] * 1000, "p95": cuts[94] * 1000,
            "p99": cuts[98] * 1000, "requests": len(times), "errors": errors[0]}


def cpu_seconds(parent: int) -> float:
    """Return the CPU time (user + system) used so far by ``parent``'s children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == parent:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def measure(base: str, cookie: str, seconds: int, connections: int,
            server: int) -> dict[str, dict[str, float]]:
    """Load each page in turn; add the server's CPU milliseconds per request."""
    load = load_wrk if shutil.which("wrk") else load_python
    results = {}
    for name, path in PAGES.items():
        with urllib.request.urlopen(urllib.request.Request(
                base + path, headers={"Cookie": cookie})) as page:
            assert page.status == 200 and "Probe Member" in page.read().decode(), name
        load(base + path, cookie, 2, connections)  # warm every worker up
        cpu = cpu_seconds(server)
        results[name] = load(base + path, cookie, seconds, connections)
        results[name]["cpu_ms"] = (cpu_seconds(server) - cpu) * 1000 / results[name]["requests"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=15, help="load per page (default 15)")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: gunicorn.conf.py, 2 x cores + 1)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="a store made by an earlier run with --keep (skips generating)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="generate into this folder and keep it for later runs")
    args = parser.parse_args()
    collect_garbage_for_bulk_work()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or args.keep or Path(scratch) / "instance"
        if args.data_dir is None:
            made = prepare(data_dir, args.events)
            print(f"store: {made['events']:,} events, generated in {made['generate_s']:.0f} s, "
                  f"read models caught up in {made['project_s']:.0f} s", flush=True)
        port = free_port()
        server = serve(data_dir, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            results = measure(base, sign_in(base), args.seconds, args.connections, server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    tool = "wrk" if shutil.which("wrk") else "python threads"
    print(f"load: {tool}, {args.connections} connections, {args.seconds} s per page, "
          f"{os.cpu_count()} cores")
    # CPU per request is what the page costs the server whatever else runs on the
    # machine; cores / CPU per request is the rate the cores could serve.
    print(f"  {'page':10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'requests':>9} {'errors':>6} {'CPU ms/req':>10} {'cores/CPU':>9}")
    for name, r in results.items():
        print(f"  {name:10} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
              f"{r['p99']:>7.1f} {r['requests']:>9} {r['errors']:>6} {r['cpu_ms']:>10.2f} "
              f"{(os.cpu_count() or 1) * 1000 / r['cpu_ms']:>9.0f}")


if __name__ == "__main__":
    main()
