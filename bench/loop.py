"""The whole loop for an immediate request, as people do it in Chromium: runs the browser
journey `tests/browser/test_loop_journey.py` a few times on fresh databases and writes the human
actions, the clicks and the wall time of each step to BENCHMARKS.md.

The step times include Chromium rendering and the test's own waits for the page (a person
reading the page takes longer): they say how long the software makes people wait, not how long
a real team takes."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import ROOT, machine, write_section

JOURNEY = "tests/browser/test_loop_journey.py"


def run_once() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "loop.json"
        env = {**os.environ, "ROSTER_LOOP_REPORT": str(report)}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:xdist",
                "-p",
                "no:cacheprovider",
                JOURNEY,
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(report.read_text())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [run_once() for _ in range(args.runs)]
    names = [name for name, _s in runs[0]["steps"]]
    load = os.getloadavg()[0]
    lines = [
        "## Time to a trusted team: the loop in the browser",
        "",
        f"Machine: {machine()}; load average {load:.1f} at the end. "
        f"Command: `python -m bench.loop --runs {args.runs}`. Each run is the Chromium journey "
        f"`{JOURNEY}` on a fresh SQLite database with the worker beside the server: an LNO "
        "raises and submits an immediate request, a coordinator opens it from the notification, "
        "triages, sends offers from the first screen of candidates, the expert opens the offer "
        "from the notification and accepts, the LNO sees the staffed notification and the team, "
        "and the mail of each of them is delivered to a local SMTP server.",
        "",
        f"Human actions (clicks that change something): **{runs[0]['actions']}** "
        "(save and submit, accept for matching, send offers, accept the offer); "
        f"clicks in all, navigation and the two confirmations included: {runs[0]['clicks']}.",
        "",
        "| step | median s | max s |",
        "|---|---|---|",
    ]
    for i, name in enumerate(names):
        times = [run["steps"][i][1] for run in runs]
        lines.append(f"| {name} | {statistics.median(times):.2f} | {max(times):.2f} |")
    totals = [sum(s for _n, s in run["steps"]) for run in runs]
    lines.append(
        f"| **whole loop** | **{statistics.median(totals):.2f}** | **{max(totals):.2f}** |"
    )
    lines += [
        "",
        "Each step's time runs from the end of the step before it, sign-ins included; "
        '"every mail delivered" is how long after the LNO saw the team the last of the '
        "three mails had arrived (the worker delivers every 5 s).",
    ]
    write_section("loop", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
