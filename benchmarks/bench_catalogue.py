"""The catalogue benchmark: kummi against a plain MkDocs + mkdocs-material build of the same pages.

    python3 benchmarks/bench_catalogue.py --lessons 1000          # 50 modules × 20 lessons, fi + sv
    python3 benchmarks/bench_catalogue.py --lessons 100 --rounds 3

Every measurement runs a command in a fresh process, as a user would; rounds interleave the plain
build and kummi's so that machine noise hits both. For each: wall time, CPU time of the whole
process tree (user + sys), CPU use (CPU time / wall time, out of the machine's cores) and peak
memory of all processes together (sum of PSS over the tree, sampled every 50 ms).

Scenarios:
  plain         mkdocs build of the Finnish, then the Swedish project (default theme, full nav)
  build         kummi build from an empty build/ and no cache (site, decks, SCORM)
  check-cold    kummi check --no-cache
  check-warm    kummi check (after a build filled the cache)
  edit-build    edit one Finnish lesson, then kummi build
  serve         kummi serve: save an edit, until the changed page is served
Targets (issue 9): build ≤ 0.25 × plain; check-warm ≤ 2 s, check-cold ≤ 5 s; edit-build ≤ 5 %
of build; serve ≤ 1 s; CPU ≥ 1.7 of 2 during build; peak ≤ 500 MB.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogue import make_catalogue, make_plain  # noqa: E402

KUMMI = [sys.executable, "-m", "kummi"]
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    rc: int

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], cwd: Path, env: dict | None = None, until=None) -> Run:
    """Run `cmd`; sample the tree's memory; wait for exit (or for `until()` to return true, then stop it)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if until is not None:
        until(proc)
        wall = time.perf_counter() - started
        proc.terminate()
    _, status, usage = os.wait4(proc.pid, 0)
    if until is None:
        wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    rc = os.waitstatus_to_exitcode(status)
    if rc not in (0, -15) and until is None:
        print(f"  ! {' '.join(map(str, cmd))} exited {rc}:\n{err[-2000:]}", file=sys.stderr)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak / 1024, rc)


def _edit(course: Path, stamp: str) -> Path:
    lesson = sorted((course / "modules").glob("*/05-oppitunti.md"))[len(list((course / "modules").iterdir())) // 2]
    text = lesson.read_text(encoding="utf-8")
    marker = "\n\nMuokkaus "
    text = text.split(marker)[0].rstrip("\n") + f"{marker}{stamp}.\n"
    lesson.write_text(text, encoding="utf-8")
    return lesson


def serve_latency(course: Path, port: int, stamp: str) -> Run:
    """Start kummi serve, then time from saving an edit until the served page shows it."""
    lesson = _edit(course, stamp + "a")
    url = f"http://127.0.0.1:{port}/modules/{lesson.parent.name}/{lesson.stem}/"

    def wait_for(text: str, limit: float) -> bool:
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if text in resp.read().decode("utf-8", "replace"):
                        return True
            except OSError:
                pass
            time.sleep(0.02)
        return False

    result = {}

    def until(proc):
        if not wait_for(f"Muokkaus {stamp}a", 600):
            raise RuntimeError("kummi serve did not come up")
        time.sleep(1.0)
        t0 = time.perf_counter()
        _edit(course, stamp + "b")
        ok = wait_for(f"Muokkaus {stamp}b", 120)
        result["latency"] = time.perf_counter() - t0 if ok else float("inf")

    run = measure(KUMMI + ["serve", "-a", f"127.0.0.1:{port}"], course, until=until)
    run.wall = result.get("latency", float("inf"))
    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lessons", type=int, default=1000, help="lessons per language (20 per module)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--only", default="plain,build,check-cold,check-warm,edit-build,serve")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    wanted = args.only.split(",")
    work = args.keep or Path(tempfile.mkdtemp(prefix="kummi-bench-"))
    modules = max(1, args.lessons // 20)
    t0 = time.perf_counter()
    course = make_catalogue(work / "course", modules, min(20, args.lessons))
    configs = make_plain(course, work / "plain") if "plain" in wanted else []
    print(f"catalogue: {modules} modules × {min(20, args.lessons)} lessons × fi+sv in {work} ({time.perf_counter() - t0:.0f} s to generate)")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    series = {name: Series(name) for name in wanted}
    for r in range(args.rounds):
        for name in wanted:
            if name == "plain":
                t = time.perf_counter()
                runs = [measure(MKDOCS + ["build", "-q", "-f", str(c)], c.parent) for c in configs]
                run = Run(time.perf_counter() - t, sum(x.cpu for x in runs), max(x.peak_mb for x in runs), max(x.rc for x in runs))
            elif name == "build":
                shutil.rmtree(course / "build", ignore_errors=True)
                run = measure(KUMMI + ["-q", "build"], course)
            elif name == "check-cold":
                run = measure(KUMMI + ["-q", "check", "--no-cache"], course)
            elif name == "check-warm":
                run = measure(KUMMI + ["-q", "check"], course)
            elif name == "edit-build":
                if not (course / "build").is_dir():
                    measure(KUMMI + ["-q", "build"], course)
                _edit(course, f"{r}")
                run = measure(KUMMI + ["-q", "build"], course)
            elif name == "serve":
                run = serve_latency(course, 8765 + r, f"{r}")
            else:
                raise SystemExit(f"unknown scenario {name}")
            series[name].runs.append(run)
            print(f"  round {r + 1} {name:11} {run.wall:7.2f} s  cpu {run.cpu:7.1f} s  cores {run.cores:4.2f}  peak {run.peak_mb:6.0f} MB  rc {run.rc}")
    print("\nmedians")
    plain = series["plain"].median("wall") if "plain" in series else None
    build = series["build"].median("wall") if "build" in series else None
    for name, s in series.items():
        wall = s.median("wall")
        ratio = f"{wall / plain:5.2f} × plain" if plain and name != "plain" else ""
        of_build = f"{100 * wall / build:5.1f} % of build" if build and name == "edit-build" else ""
        print(f"  {name:11} {wall:7.2f} s  cpu {s.median('cpu'):7.1f} s  cores {s.median('cores'):4.2f}  "
              f"peak {s.median('peak_mb'):6.0f} MB  {ratio}{of_build}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
