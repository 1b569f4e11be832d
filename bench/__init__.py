"""Benchmarks (`make bench`): each module times one subject and writes its part of BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import re
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "BENCHMARKS.md"
HEADER = (
    "# Benchmarks\n\n"
    "Written by `make bench` (each section by its module in `bench/`). Figures are wall-clock\n"
    "milliseconds on the machine named in each section. No test asserts on timings.\n"
)


def machine() -> str:
    """A one-line description of this machine: CPU model, cores, memory, Python."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        if match:
            cpu = match.group(1).strip()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        if match:
            memory = f", {int(match.group(1)) / 1024 / 1024:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of timings in milliseconds."""
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


def write_section(name: str, body: str) -> None:
    """Replace (or add) the section `name` of BENCHMARKS.md, leaving the others as they are."""
    text = REPORT.read_text() if REPORT.exists() else HEADER
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    REPORT.write_text(text)
