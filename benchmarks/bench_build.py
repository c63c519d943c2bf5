"""Benchmark: load+check and each target on a synthetic course. Speed targets live here, not in tests.

    python benchmarks/bench_build.py --modules 20 --lessons 10      # 400 lesson files
    python benchmarks/bench_build.py --targets site,slides,scorm

Prints wall time and peak memory per stage (largest single process). Targets (what a mentor
and CI wait for), on 2 cores:
  load+check of 1200 lesson files  < 10 s
  full build of 60 modules × 10 lessons × 2 languages  < 5 min, < 500 MB per process

Measured 2026-11-27, 2 cores, 60 × 10 × 2 (1200 lesson pages): load+check 3.3 s; slides 22 s
(120 decks, process pool); scorm 1.6 s (120 packages); site 18 s (two languages in parallel,
navigation.prune; 35 s sequentially). Peak 91 MB.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_course  # noqa: E402

from kummi.clock import build_epoch  # noqa: E402
from kummi.pipeline import load_and_check  # noqa: E402
from kummi.targets import BuildOptions, get_target  # noqa: E402


def peak_mb() -> float:
    """Peak resident memory of this process or of its largest worker process."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--modules", type=int, default=20)
    ap.add_argument("--lessons", type=int, default=10)
    ap.add_argument("--targets", default="", help="comma-separated: site,slides,scorm")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_course(Path(tmp) / "course", args.modules, args.lessons)
        t0 = time.perf_counter()
        course, report = load_and_check(root)
        t1 = time.perf_counter()
        files = args.modules * args.lessons * 2
        print(f"load+check  {files:5d} lesson files  {t1 - t0:7.2f} s  peak {peak_mb():6.0f} MB  {len(report.errors)} errors")
        if report.has_errors():
            for d in report.errors[:5]:
                print(d.format_text())
            return 1
        options = BuildOptions(out_dir=root / "build", epoch=build_epoch())
        for name in filter(None, args.targets.split(",")):
            t0 = time.perf_counter()
            artifacts = get_target(name).build(course, options)
            print(f"{name:10}  {len(artifacts):5d} artifacts     {time.perf_counter() - t0:7.2f} s  peak {peak_mb():6.0f} MB ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
