"""Search throughput over HTTP (`python -m bench.search_throughput`): gunicorn -w 2 (sync) on the
search bench database, a bounded threaded client on 127.0.0.1, `GET /api/v1/me` against the LNO
search, requests per second and p50 / p99. The client shares the machine's two cores with the
server (wrk is not installed here), so both figures are lower than wrk's: read the ratio."""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time

from bench import ROOT, machine, write_section
from bench.search import SEARCHES, _free_port, database, prepare

ROUNDS = 5
PATHS = {
    "GET /api/v1/me": "/api/v1/me",
    "LNO search": "/api/v1/experts?" + SEARCHES["LNO: text + 3 filters + facets"],
}


def hammer(port: int, path: str, token: str, seconds: float, threads: int) -> tuple[float, list]:
    """Requests per second over `seconds` with `threads` clients, and every latency (ms)."""
    latencies: list[float] = []
    errors: list[int] = []
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        mine: list[float] = []
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            start = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(response.status)
            conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} errors on {path}: {sorted(set(errors))}")
    return len(latencies) / elapsed, sorted(latencies)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    url, build = database(args.engine, args.n, False)
    _lno, token = prepare(url, args.n, build)
    port = _free_port()
    env = {**os.environ, "ROSTER_DATABASE_URL": url, "ROSTER_SECRET_KEY": "bench-only"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        time.sleep(3)
        # Both workers build their read model before the clock starts: a build takes seconds
        # (both at once on two cores), so warm up until no request of a short round waited 1 s.
        hammer(port, PATHS["LNO search"], token, 10.0, 4)
        for _ in range(20):
            _rate, lat = hammer(port, PATHS["LNO search"], token, 3.0, 4)
            if lat and lat[-1] < 1000:
                break
        tool = "Python client"
        # The endpoints take turns in short rounds, so a change in the machine's load (other
        # work shares its two cores) falls on both alike; the ratio is what this measures.
        count = dict.fromkeys(PATHS, 0)
        spent = dict.fromkeys(PATHS, 0.0)
        every: dict[str, list[float]] = {name: [] for name in PATHS}
        for _ in range(ROUNDS):
            for name, path in PATHS.items():
                rate, lat = hammer(port, path, token, args.seconds / ROUNDS, args.threads)
                count[name] += len(lat)
                spent[name] += len(lat) / rate if rate else 0.0
                every[name].extend(lat)
        for name in PATHS:
            lat = sorted(every[name])
            p99 = lat[int(len(lat) * 0.99) - 1]
            results[name] = (count[name] / spent[name], lat[len(lat) // 2], p99)
            print(
                f"{name}: {results[name][0]:.0f} req/s, p50 {results[name][1]:.1f} ms, "
                f"p99 {results[name][2]:.1f} ms",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratio = results["LNO search"][0] / results["GET /api/v1/me"][0]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"### Search throughput: {args.engine}, N = {args.n:,} experts",
        "",
        f"Machine: {machine()}; load average at the end {load}. gunicorn -w 2 (sync), {tool}, "
        f"{args.threads} connections, {args.seconds:.0f} s per endpoint in {ROUNDS} alternating "
        "rounds, 127.0.0.1 only.",
        "",
        "| endpoint | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|",
        *(f"| {k} | {r:.0f} | {p50:.1f} | {p99:.1f} |" for k, (r, p50, p99) in results.items()),
        "",
        f"The LNO search reaches {ratio:.2f} of `GET /api/v1/me` (target 0.40).",
    ]
    write_section(f"search-throughput-{args.engine}-{args.n}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
