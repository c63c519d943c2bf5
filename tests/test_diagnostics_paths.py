"""rel_posix: the quick path for a file under a normalised root gives what the general one does."""
from __future__ import annotations

import random
from pathlib import Path

from kummi.diagnostics import rel_posix

ROOTS = ["/tmp/course", "/tmp/course/", "/tmp/./course", "/tmp/course/sub/..", "/", "//", "//tmp", "/tmp//course", "course"]
PARTS = ["a", "b", "..", ".", "", "course", "ä", "\udcff", "05-oppitunti.md"]


def _general(path, root) -> str:
    """rel_posix with the root written so that the quick path cannot apply (a trailing '/.')."""
    return rel_posix(path, str(root).rstrip("/") + "/." if str(root) not in ("/", "//") else root)


def test_quick_path_equals_the_general_one():
    rng = random.Random(9)
    checked = 0
    for root in ROOTS:
        for _ in range(2000):
            start = rng.choice([root, "/tmp/course", "/tmp", "/tmp/coursea", "/", "//", "course"])
            path = start + "/" + "/".join(rng.choice(PARTS) for _ in range(rng.randint(0, 4)))
            for given, base in ((path, root), (Path(path), Path(root))):
                assert rel_posix(given, base) == _general(given, base), (given, base)
                checked += 1
    assert checked == 2 * 2000 * len(ROOTS)


def test_usual_file_and_outside_file():
    assert rel_posix("/tmp/course/modules/m/01-a.md", "/tmp/course") == "modules/m/01-a.md"
    assert rel_posix(Path("/tmp/course/modules/m/01-a.md"), Path("/tmp/course")) == "modules/m/01-a.md"
    assert rel_posix("/tmp/coursex/a.md", "/tmp/course") == "/tmp/coursex/a.md"  # outside: the absolute path
    assert rel_posix("/tmp/course/\udcff.md", "/tmp/course") == "\ufffd.md"
