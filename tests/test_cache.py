"""The build cache (build/.cache/) never changes output: a cached build after an edit equals a
clean build byte for byte, a corrupt cache is ignored with a note, check only reads it."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from test_check import kummi
from testpaths import FIXTURES

EPOCH = {"SOURCE_DATE_EPOCH": "1704067200"}
CACHE = Path("build/.cache/kummi.sqlite3")


def _tree(folder: Path) -> dict[str, str]:
    """Every output file (not the cache) by path, as a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


def _edit(root: Path) -> None:
    lesson = root / "modules/01-perusteet/01-alku.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nUusi kappale, joka lisättiin välimuistin testiä varten.\n", encoding="utf-8")


def test_cached_build_after_an_edit_equals_a_clean_build(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    first = kummi("build", cwd=root, env=EPOCH)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (root / CACHE).is_file()
    _edit(root)
    cached = kummi("build", cwd=root, env=EPOCH)
    assert cached.returncode == 0, cached.stdout + cached.stderr
    clean = kummi("build", "--no-cache", "--out", str(tmp_path / "clean"), cwd=root, env=EPOCH)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert not (tmp_path / "clean" / ".cache").exists()  # --no-cache neither reads nor fills it
    built, expected = _tree(root / "build"), _tree(tmp_path / "clean")
    assert len(expected) > 20
    assert built == expected
    # The edit is in the output (the cache did not serve the old page).
    page = (root / "build/site/modules/01-perusteet/01-alku/index.html").read_text(encoding="utf-8")
    assert "Uusi kappale, joka lisättiin välimuistin testiä varten." in page


def test_a_build_in_a_new_process_reuses_every_unchanged_page(tmp_path):
    """Page keys must not depend on the process (e.g. a function's address in a repr): after an
    edit, the next `kummi build` links every other page from the previous output (same inode)
    and makes only the edited lesson's pages again."""
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", cwd=root, env=EPOCH).returncode == 0
    site = root / "build/site"
    before = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}
    _edit(root)
    result = kummi("build", cwd=root, env=EPOCH)
    assert result.returncode == 0, result.stdout + result.stderr
    after = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}
    assert after.keys() == before.keys() and len(after) > 10
    remade = sorted(page for page in after if after[page] != before[page] and not page.endswith("404.html"))  # a theme template, always made
    assert "modules/01-perusteet/01-alku/index.html" in remade
    assert all("01-alku" in page for page in remade), remade  # the Finnish page and its fallback in other languages


def test_a_language_whose_inputs_did_not_change_is_linked_whole(tmp_path):
    """Editing a Swedish lesson leaves the Finnish site's inputs as they were: every file of it,
    theme assets and search index too (which page-by-page reuse makes again), is linked from the
    previous build, while the Swedish site is made again. A file of the previous output changed
    by hand stops the whole-language reuse. Both builds equal a clean build."""
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", cwd=root, env=EPOCH).returncode == 0
    site = root / "build/site"

    def inodes() -> dict[str, int]:
        return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}

    def edit_swedish(words: str) -> None:
        lesson = root / "modules/01-perusteet/01-alku.sv.md"
        lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")

    def equals_clean(name: str) -> None:
        clean = kummi("build", "--no-cache", "--out", str(tmp_path / name), cwd=root, env=EPOCH)
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert _tree(root / "build") == _tree(tmp_path / name)

    before = inodes()
    edit_swedish("Ett nytt stycke för cachetestet.")
    result = kummi("build", cwd=root, env=EPOCH)
    assert result.returncode == 0, result.stdout + result.stderr
    after = inodes()
    finnish = [rel for rel in after if not rel.startswith("sv/")]
    assert len(finnish) > 50 and "search/search_index.json" in finnish and "404.html" in finnish
    assert [rel for rel in finnish if after[rel] != before.get(rel)] == []
    assert after["sv/search/search_index.json"] != before["sv/search/search_index.json"]
    assert "Ett nytt stycke för cachetestet." in (site / "sv/modules/01-perusteet/01-alku/index.html").read_text(encoding="utf-8")
    equals_clean("clean1")

    (site / "search/search_index.json").write_text("{}", encoding="utf-8")  # changed by hand
    edit_swedish("Ännu ett stycke.")
    result = kummi("build", cwd=root, env=EPOCH)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "search/search_index.json").read_text(encoding="utf-8") != "{}"
    equals_clean("clean2")


def test_a_changed_picture_reaches_every_output_that_holds_it(tmp_path):
    """Decks and SCORM packages are reused by keys that include the files they copy: replacing a
    lesson's picture (same name, other bytes) makes them again, as a clean build would."""
    from PIL import Image

    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", cwd=root, env=EPOCH).returncode == 0
    picture = root / "modules/01-perusteet/media/kuva.png"
    with Image.open(picture) as old:
        size = old.size
    Image.new("RGB", size, (200, 30, 30)).save(picture)
    cached = kummi("build", cwd=root, env=EPOCH)
    assert cached.returncode == 0, cached.stdout + cached.stderr
    clean = kummi("build", "--no-cache", "--out", str(tmp_path / "clean"), cwd=root, env=EPOCH)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    built, expected = _tree(root / "build"), _tree(tmp_path / "clean")
    assert any(name.startswith("scorm/") for name in expected) and any(name.startswith("slides/") for name in expected)
    assert built == expected


def test_corrupt_cache_is_ignored_with_a_note(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", cwd=root, env=EPOCH).returncode == 0
    before = _tree(root / "build")
    (root / CACHE).write_bytes(b"this is not a database" * 100)
    res = kummi("build", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "could not be read" in res.stdout + res.stderr
    assert _tree(root / "build") == before
    # …and the next build has a working cache again, without a note.
    res = kummi("build", cwd=root, env=EPOCH)
    assert res.returncode == 0 and "could not be read" not in res.stdout + res.stderr


def test_check_reads_the_cache_and_writes_nothing(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", cwd=root, env=EPOCH).returncode == 0
    _edit(root)
    stamps = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in (root / "build").rglob("*")}
    with_cache = kummi("check", "--format", "json", cwd=root)
    without = kummi("check", "--format", "json", "--no-cache", cwd=root)
    assert with_cache.returncode == without.returncode
    assert with_cache.stdout == without.stdout
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in (root / "build").rglob("*")} == stamps


def test_clean_deletes_the_cache(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", "--target", "scorm", cwd=root, env=EPOCH).returncode == 0
    assert (root / CACHE).is_file()
    res = kummi("clean", cwd=root, env={**EPOCH, "KUMMI_UI_LANG": "en"})
    assert res.returncode == 0 and "The build cache was deleted." in res.stdout + res.stderr
    assert not (root / CACHE).exists()
    assert (root / "build/scorm").is_dir()  # outputs stay
    assert os.listdir(root / "build/scorm")


def test_preview_cache_falls_back_to_the_build_cache(tmp_path):
    """`kummi serve` starts from the last build's parsed lessons: a key missing in memory is read
    from build/.cache/kummi.sqlite3 (only read), and then kept in memory."""
    from kummi.cache import FILE, Cache, MemoryCache
    from kummi.loader import load_course

    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", cwd=root, env=EPOCH).returncode == 0
    disk = root / "build" / FILE
    stamp = disk.stat().st_mtime_ns
    memory = MemoryCache(fallback=disk)
    course, report = load_course(root, cache=memory)
    assert course is not None and not report.has_errors()
    lessons = [key for kind, key in memory._memory if kind == "lesson"]
    assert len(lessons) == sum(len(lesson.texts) for module in course.modules for lesson in module.lessons) > 3
    assert disk.stat().st_mtime_ns == stamp  # never written
    assert MemoryCache(fallback=tmp_path / "none.sqlite3").get_many("lesson", lessons) == {}
    assert Cache(disk, readonly=True).get_many("lesson", lessons[:1]).keys() == {lessons[0]}


def test_preview_reads_a_changed_file_again(tmp_path):
    """The preview's memo of lesson files keys on the file's status, change time included: an edit
    that keeps the size and the modification time is still read."""
    from kummi.cache import MemoryCache
    from kummi.loader import load_course

    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    memory = MemoryCache()
    load_course(root, cache=memory)
    lesson = root / "modules/01-perusteet/01-alku.md"
    assert str(lesson) in memory.reads
    text = lesson.read_text(encoding="utf-8")
    old = lesson.stat()
    changed = text.replace("a", "e", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    lesson.write_text(changed, encoding="utf-8")
    os.utime(lesson, ns=(old.st_atime_ns, old.st_mtime_ns))  # as it was, except the change time
    course, _ = load_course(root, cache=memory)
    source = next(t for module in course.modules for l in module.lessons for t in l.texts if t.path.endswith("01-alku.md"))
    assert source.markdown in changed and source.markdown not in text


def test_pending_entries_spill_to_files_and_are_saved(tmp_path, monkeypatch):
    """A large run's new entries wait in files under build/.cache/pending/, not in memory: they
    are read back from there, saved with the rest, and the files are deleted, saved or not."""
    from kummi import cache as cache_mod

    monkeypatch.setattr(cache_mod, "SPILL_BYTES", 1000)
    build = tmp_path / "build"
    cache = cache_mod.Cache.open(build)
    values = {f"k{i}": ("lesson text " * 50, i) for i in range(40)}
    cache.put_many("lesson", values)
    files = sorted(cache.pending_dir.iterdir())
    assert len(files) > 5 and len(cache._pending) < 3  # most entries are in files
    assert cache.get_many("lesson", ["k0", "k17", "k39", "nope"]) == {k: values[k] for k in ("k0", "k17", "k39")}
    cache.save()
    assert not cache.pending_dir.exists()
    cache.close()
    again = cache_mod.Cache.open(build)
    assert again.get_many("lesson", list(values)) == values
    again.put_many("lesson", {f"x{i}": "y" * 600 for i in range(4)})
    assert any(again.pending_dir.iterdir())
    again.close()  # a failed build: nothing saved, nothing left behind
    assert not again.pending_dir.exists()
    assert "x0" not in cache_mod.Cache.open(build).get_many("lesson", ["x0"])


def test_a_parallel_build_saves_its_workers_entries(tmp_path):
    """The site's workers hand their search entries to the main process as files: after a build
    with worker processes, the cache holds every page's entries and no file is left pending."""
    import sqlite3

    from test_build import _catalogue

    root = _catalogue(tmp_path / "c", 4, 20)
    res = kummi("build", "--target", "site", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    pending = root / "build/.cache/pending"
    assert not pending.exists() or not any(pending.iterdir())
    pages = sum(1 for _ in (root / "build/site").rglob("index.html"))
    db = sqlite3.connect(root / CACHE)
    (entries,) = db.execute("SELECT COUNT(*) FROM entries WHERE kind='site-search'").fetchone()
    (languages,) = db.execute("SELECT COUNT(*) FROM entries WHERE kind='site-language'").fetchone()
    db.close()
    assert languages == 2 and entries >= pages - 4, (entries, pages)
