"""Same input, same bytes: the package takes time only from the build clock (clock.py)."""
from __future__ import annotations

import re

from testpaths import REPO

BANNED = re.compile(r"datetime\.now\(|date\.today\(|time\.time\(\)|uuid\.uuid[14]\(|random\.(random|choice|randint)\(|Math\.random\(|new Date\(\)\.toISOString")
ALLOWED = {
    # The SCORM runtime reports real session times and answer timestamps to the LMS at run time.
    "tools/kummi/targets/scorm/assets/kummi-scorm.js",
}


def test_no_wall_clock_or_randomness_in_build_code():
    offenders = []
    for path in sorted((REPO / "tools" / "kummi").rglob("*")):
        if path.suffix not in (".py", ".js", ".j2", ".html") or "vendor" in path.parts:
            continue
        rel = path.relative_to(REPO).as_posix()
        if rel in ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if BANNED.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == [], "use kummi.clock (SOURCE_DATE_EPOCH) instead:\n" + "\n".join(offenders)
