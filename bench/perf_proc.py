"""Whole-process measurements for ``bench/run.py``: wall time and peak memory of a command.

Every measurement runs the command under a fresh wrapper process (this file, run as a
script), so ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` there is the peak resident memory of
exactly that command and of every process it waited for — for ``python -m soni classify``
that includes the isolated reader child (``soni.intake.isolate``); ``cpu_s`` is their user + system
time together (on a shared machine steadier than the wall time). The wrapper prints one JSON
line: ``{"wall_s": …, "cpu_s": …, "maxrss_mb": …, "rc": …}``.

    python bench/perf_proc.py -- python -m soni classify in.xlsx --out out.csv
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Measured:
    """Median wall time and the largest peak memory over the runs of one command."""

    wall_s: float
    maxrss_mb: float
    runs: list[float]

    @property
    def spread(self) -> str:
        return f"{min(self.runs):.2f}–{max(self.runs):.2f}"


def measure_once(cmd: Sequence[str], *, cwd: Path = ROOT, timeout: float = 600) -> dict:
    """Run ``cmd`` under a fresh wrapper process; wall seconds, peak MB (largest process), exit code."""
    out = subprocess.run([PYTHON, str(Path(__file__).resolve()), "--", *cmd], cwd=cwd, capture_output=True,
                         text=True, timeout=timeout, check=False)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"measurement failed: {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    result = json.loads(lines[-1])
    if result["rc"] != 0:
        raise RuntimeError(f"command failed (exit {result['rc']}): {' '.join(cmd)}\n{result.get('stderr', '')}")
    return result


def measure(cmd: Sequence[str], repeat: int = 3, *, cwd: Path = ROOT) -> Measured:
    """Median of ``repeat`` fresh runs (wall time) and the largest peak memory seen."""
    results = [measure_once(cmd, cwd=cwd) for _ in range(repeat)]
    walls = [r["wall_s"] for r in results]
    return Measured(statistics.median(walls), max(r["maxrss_mb"] for r in results), walls)


def python_code(code: str) -> list[str]:
    """A command that runs ``code`` in a fresh interpreter of this venv."""
    return [PYTHON, "-c", code]


def _wrapper(cmd: list[str]) -> int:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    factor = 1 if sys.platform == "darwin" else 1024  # Linux: KiB, macOS: bytes
    print(json.dumps({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "maxrss_mb": usage.ru_maxrss * factor / 1e6, "rc": done.returncode,
                      "stderr": done.stderr.decode("utf-8", "replace")[-2000:]}))
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "--" or len(args) < 2:
        print(__doc__)
        raise SystemExit(2)
    raise SystemExit(_wrapper(args[1:]))
