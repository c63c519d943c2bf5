"""A content-addressed cache across runs, in build/.cache/kummi.sqlite3.

Two kinds of memory:

- entries: (kind, key) -> a pickled value: parsed lessons and YAML files, deck plans, site pages'
  search entries… The key is a digest of everything the value depends on (`digest()`), and every
  key also carries `CODE`, a digest of kummi's own source, so a cache written by another kummi
  is simply never hit.
- outputs: for each file a target wrote, the key it was made from. A later build that would make
  the same file from the same key links the previous file into its staging folder instead of
  making it again (`reuse`).

A cache never changes output: a value is only ever used for exactly the inputs it was made from.
A corrupt or foreign cache file is ignored and replaced, with a note. The cache is read while a
command runs and written only by a build that succeeded; `kummi check` only reads it (a check
never writes); `--no-cache` turns it off; `kummi clean` deletes it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import stat
import struct
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from .i18n import M_, Msg

FORMAT = "1"
FILE = Path(".cache") / "kummi.sqlite3"  # under build/
PENDING = Path(".cache") / "pending"  # under build/: entries of a running build, not yet saved (see `spill`)
SPILL_BYTES = 8 << 20  # pending entries kept in memory before they go to a file


@lru_cache(maxsize=1)
def code_version() -> str:
    """Digest of kummi's code and data files, Python and the libraries that shape output."""
    from importlib import metadata

    h = hashlib.sha256(f"{FORMAT}|{sys.version}".encode())
    for dist in ("mkdocs", "mkdocs-material", "markdown-it-py", "mdit-py-plugins", "python-pptx", "lxml", "Jinja2", "Markdown", "pymdown-extensions", "nh3", "Pillow"):
        try:
            h.update(f"|{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{dist}=-".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc", ".mo") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:24]


def digest(*parts) -> str:
    """A key from strings, bytes, numbers and nested tuples of them."""
    h = hashlib.sha256()
    _feed(h, parts)
    return h.hexdigest()[:32]


def _feed(h, value) -> None:
    if isinstance(value, bytes):
        h.update(b"b%d:" % len(value))
        h.update(value)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif isinstance(value, (tuple, list)):
        h.update(b"(%d" % len(value))
        for item in value:
            _feed(h, item)
        h.update(b")")
    elif value is None or isinstance(value, (bool, int, float)):
        h.update(repr(value).encode())
    else:
        raise TypeError(f"cannot digest {type(value).__name__}")


def file_stamp(root: str, rel: str) -> tuple:
    """(rel, size, modification time) of a course file, for keys of outputs that copy or show it."""
    try:
        st = os.stat(os.path.join(root, rel))
    except OSError:
        return (rel, -1, -1)
    return (rel, st.st_size, st.st_mtime_ns)


_HEADER = struct.Struct("<III")  # a spilled entry: lengths of kind, key and pickled value, then the three


def write_entries(folder: Path, entries) -> Path:
    """Write (kind, key, value) entries, values pickled (or already `bytes` when pickled), into a
    new file in `folder` for a Cache to `adopt`. Raises OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".entries", dir=folder)
    with os.fdopen(fd, "wb") as f:
        for kind, key, value in entries:
            blob = value if isinstance(value, bytes) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            kind_b, key_b = kind.encode(), key.encode()
            f.write(_HEADER.pack(len(kind_b), len(key_b), len(blob)))
            f.write(kind_b)
            f.write(key_b)
            f.write(blob)
    return Path(name)


def _read_entries(path: Path, values: bool = False):
    """(kind, key, offset, length, pickled value or None) of every entry in a file of
    `write_entries`; with `values` False, the values are skipped, not read."""
    with open(path, "rb") as f:
        while True:
            header = f.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            kind_len, key_len, length = _HEADER.unpack(header)
            kind, key = f.read(kind_len).decode(), f.read(key_len).decode()
            offset = f.tell()
            if values:
                yield kind, key, offset, length, f.read(length)
            else:
                yield kind, key, offset, length, None
                f.seek(length, os.SEEK_CUR)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except FileNotFoundError:
        raise
    except OSError:  # another file system, or links not allowed
        shutil.copy2(src, dest)


class Cache:
    """Open with `Cache.open(build_dir, ...)`; a disabled cache answers every question with "no"."""

    def __init__(self, path: Path | None, readonly: bool = False):
        self.path = path
        self.readonly = readonly
        self.notes: list[Msg] = []
        self.hits = self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, bytes]] = []
        self._pending_index: dict[tuple[str, str], bytes] = {}  # what this run put: read back before it is saved
        self._pending_bytes = 0
        self._spills: list[Path] = []  # files of pending entries (this process's and its workers'), saved in order
        self._spilled: dict[tuple[str, str], tuple[int, int, int]] = {}  # (kind, key) -> (file, offset, length)
        self._pid = os.getpid()
        self._outputs: list[tuple[str, str, str, int, int]] = []
        self._forget: list[str] = []
        self._known_outputs: dict[tuple[str, str], tuple[str, int, int]] | None = None
        self._corrupt = False
        self._suspended = False
        if path is not None:
            self._connect()

    @classmethod
    def open(cls, build_dir: Path, enabled: bool = True, readonly: bool = False) -> "Cache":
        if not enabled:
            return cls(None)
        return cls(Path(build_dir) / FILE, readonly)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    # ------------------------------------------------------------------ connection

    def _connect(self) -> None:
        """Open for reading only: a run that fails writes nothing; `save` opens for writing."""
        path = self.path
        if not path.is_file():
            return
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
            row = db.execute("SELECT value FROM meta WHERE name='code'").fetchone()
            db.execute("SELECT 1 FROM entries LIMIT 1").fetchall()
            db.execute("SELECT 1 FROM outputs LIMIT 1").fetchall()
        except (sqlite3.DatabaseError, OSError):
            self.notes.append(M_("The build cache in {path} could not be read; it is rebuilt.", path=str(path)))
            self._corrupt = True
            return
        if row is None or row[0] != code_version():
            self.notes.append(M_("The build cache was made by another version of kummi; it is rebuilt."))
            db.close()
            return
        self._db = db

    def _writer(self) -> sqlite3.Connection | None:
        path = self.path
        if self._corrupt:
            self._discard()
            self._corrupt = False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=30)
            db.executescript(
                "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS entries(kind TEXT, key TEXT, value BLOB, PRIMARY KEY(kind, key)) WITHOUT ROWID;"
                "CREATE TABLE IF NOT EXISTS outputs(target TEXT, path TEXT, key TEXT, size INTEGER, mtime_ns INTEGER, PRIMARY KEY(target, path)) WITHOUT ROWID;"
            )
            row = db.execute("SELECT value FROM meta WHERE name='code'").fetchone()
            if row is None or row[0] != code_version():
                db.executescript("DELETE FROM entries; DELETE FROM outputs;")
                db.execute("INSERT OR REPLACE INTO meta VALUES('code', ?)", (code_version(),))
            return db
        except (sqlite3.DatabaseError, OSError):
            self._discard()
            return None

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(str(self.path) + suffix).unlink()
            except OSError:
                pass

    # ------------------------------------------------------------------ entries

    def get(self, kind: str, key: str):
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys) -> dict:
        keys = list(dict.fromkeys(keys))
        found: dict = {}
        if self._pending_index:
            for key in keys:
                blob = self._pending_index.get((kind, key))
                if blob is not None:
                    found[key] = pickle.loads(blob)
            keys = [key for key in keys if key not in found]
            self.hits += len(found)
        if self._spilled:
            for key in keys:
                blob = self._read_spilled(kind, key)
                if blob is not None:
                    found[key] = pickle.loads(blob)
                    self.hits += 1
            keys = [key for key in keys if key not in found]
        if self._db is None or not keys:
            self.misses += len(keys)
            return found
        before = len(found)
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(f"SELECT key, value FROM entries WHERE kind=? AND key IN ({marks})", (kind, *chunk)):
                    try:
                        found[key] = pickle.loads(blob)
                    except Exception:  # a value that no longer unpickles is a miss
                        continue
        except sqlite3.DatabaseError:
            self.notes.append(M_("The build cache in {path} could not be read; it is rebuilt.", path=str(self.path)))
            self._db = None
            return {}
        self.hits += len(found) - before
        self.misses += len(keys) - (len(found) - before)
        return found

    def put(self, kind: str, key: str, value, pickled: bytes | None = None) -> None:
        """Keep `value`; `pickled`: the value already pickled (as a worker process sent it)."""
        if self.path is not None and not self.readonly:
            blob = pickled if pickled is not None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending.append((kind, key, blob))
            self._pending_index[(kind, key)] = blob
            self._pending_bytes += len(blob)
            if self._pending_bytes > SPILL_BYTES:
                self.spill()

    # ------------------------------------------------------------------ pending entries in files
    # A large build's new entries (2000 parsed lessons, every page's search entries…) would stay
    # in memory until `save`, in the main process and, on their way to it, in the workers that
    # made them. They go to files under build/.cache/pending/ instead: `spill` for this process's,
    # `write_entries` in a worker and `adopt` here for the worker's. `save` streams them into the
    # database; `close` deletes them, saved or not.

    def spill(self) -> None:
        """Move the pending entries from memory into a file."""
        if not self._pending:
            return
        try:
            path = write_entries(self.pending_dir, self._pending)
        except OSError:
            return  # they stay in memory
        self.adopt(path)
        self._pending, self._pending_index, self._pending_bytes = [], {}, 0

    @property
    def pending_dir(self) -> Path | None:
        """This run's folder of spilled entries (its workers write theirs there too), or None."""
        if self.path is None or self.readonly:
            return None
        return self.path.parent / PENDING.name / str(self._pid)

    def adopt(self, path: Path) -> None:
        """Take a file of entries (`write_entries`) to be saved with this run's own."""
        if self.path is None or self.readonly:
            _unlink(path)
            return
        number = len(self._spills)
        self._spills.append(path)
        try:
            for kind, key, offset, length, _ in _read_entries(path):
                self._spilled[(kind, key)] = (number, offset, length)
        except OSError:
            pass

    def _read_spilled(self, kind: str, key: str) -> bytes | None:
        where = self._spilled.get((kind, key))
        if where is None:
            return None
        number, offset, length = where
        try:
            with open(self._spills[number], "rb") as f:
                f.seek(offset)
                return f.read(length)
        except OSError:
            return None

    def _spilled_entries(self):
        """Every entry of the spill files, one at a time, in the order they were put."""
        for path in self._spills:
            for kind, key, _, _, blob in _read_entries(path, values=True):
                yield kind, key, blob

    def put_many(self, kind: str, items: dict) -> None:
        for key, value in items.items():
            self.put(kind, key, value)

    # ------------------------------------------------------------------ outputs

    def _outputs_table(self) -> dict:
        if self._known_outputs is None:
            self._known_outputs = {}
            if self._db is not None:
                try:
                    for target, path, key, size, mtime in self._db.execute("SELECT target, path, key, size, mtime_ns FROM outputs"):
                        self._known_outputs[(target, path)] = (key, size, mtime)
                except sqlite3.DatabaseError:
                    self._known_outputs = {}
        return self._known_outputs

    def reusable(self, target: str, rel: str, key: str, previous: Path) -> bool:
        """Whether previous/rel was made from `key` and is untouched since."""
        known = self._outputs_table().get((target, rel))
        if known is None or known[0] != key:
            return False
        src = previous / rel
        try:
            st = src.lstat()
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and st.st_size == known[1] and st.st_mtime_ns == known[2]

    def reuse(self, target: str, rel: str, key: str, previous: Path, staging: Path) -> bool:
        """Link previous/rel into staging/rel when it was made from `key` and is untouched since."""
        if not self.reusable(target, rel, key, previous):
            return False
        src, dest = previous / rel, staging / rel
        try:
            try:
                _link_or_copy(src, dest)
            except FileNotFoundError:  # its folder is not there yet (tried first: most files' folder is)
                dest.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(src, dest)
        except OSError:
            return False
        self.hits += 1
        return True

    def record(self, target: str, rel: str, key: str, final: Path) -> None:
        """After the swap: remember that final/rel was made from `key`."""
        if self.path is None or self.readonly:
            return
        try:
            st = (final / rel).stat()
        except OSError:
            return
        self._outputs.append((target, rel, key, st.st_size, st.st_mtime_ns))

    def forget_target(self, target: str) -> None:
        """A target's folder was replaced: outputs it no longer has must not be reused later."""
        if self.path is not None and not self.readonly:
            self._forget.append(target)

    # ------------------------------------------------------------------ fork safety

    def suspend(self) -> None:
        """Close the connection before worker processes are forked (pending writes stay in memory)."""
        if self._db is not None:
            self._outputs_table()
            self._db.close()
            self._db = None
            self._suspended = True

    def resume(self) -> None:
        if self._suspended:
            self._suspended = False
            notes = list(self.notes)
            self._connect()
            self.notes = notes

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        """Write what this run learnt (only after a successful build)."""
        if self.path is None or self.readonly or not (self._pending or self._spills or self._outputs or self._forget):
            return
        if self._db is not None:
            self._db.close()
            self._db = None
        db = self._writer()
        if db is None:
            self.notes.append(M_("The build cache in {path} could not be written; the next build starts without it.", path=str(self.path)))
            return
        try:
            with db:
                for target in self._forget:
                    db.execute("DELETE FROM outputs WHERE target=?", (target,))
                db.executemany("INSERT OR REPLACE INTO entries VALUES(?,?,?)", self._spilled_entries())
                db.executemany("INSERT OR REPLACE INTO entries VALUES(?,?,?)", self._pending)
                db.executemany("INSERT OR REPLACE INTO outputs VALUES(?,?,?,?,?)", self._outputs)
        except (sqlite3.DatabaseError, OSError):
            self.notes.append(M_("The build cache in {path} could not be written; the next build starts without it.", path=str(self.path)))
        finally:
            db.close()
        self._pending, self._outputs, self._forget = [], [], []
        self._pending_index, self._pending_bytes = {}, 0
        self._drop_spills()
        self._known_outputs = None
        self._connect()

    def _drop_spills(self) -> None:
        """Delete this run's spilled entries (and those of runs that were killed)."""
        for path in self._spills:
            _unlink(path)
        self._spills, self._spilled = [], {}
        folder = self.pending_dir
        if folder is None or os.getpid() != self._pid or not folder.parent.is_dir():
            return  # a forked process never deletes the files of the process that made it
        for run in folder.parent.iterdir():
            if run == folder or (run.name.isdigit() and not _alive(int(run.name))):
                shutil.rmtree(run, ignore_errors=True)
        try:
            folder.parent.rmdir()
        except OSError:  # another run's files are in it
            pass

    def close(self) -> None:
        self._drop_spills()
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.DatabaseError:
                pass
            self._db = None


class MemoryCache(Cache):
    """Entries kept in this process only, pickled as in the file (a value never shares objects with
    the run that made it): `kummi serve` reuses the previous rebuild's parsed lessons and spelling
    warnings. Nothing is written to disk; outputs are not tracked. Parsed lessons (frozen model
    objects and their diagnostics, which no reader changes) are kept as they are: unpickling a
    thousand lessons on every save would cost a second.

    `fallback`: a build cache file (build/.cache/kummi.sqlite3) read for what memory does not
    have, so that the preview starts from the last build's parsed lessons, spelling results and
    search terms (a key found there is the same key: content, kummi's version). It is opened
    for each such read, in the reading thread, and only ever read."""

    SHARED = frozenset({"lesson"})

    def __init__(self, limit: int = 20000, fallback: Path | None = None):
        super().__init__(None)
        self.limit = limit
        self.fallback = fallback
        self._memory: dict[tuple[str, str], object] = {}
        self.reads: dict = {}  # lesson files read, by path and status (loader.files.read_bytes)

    def get_many(self, kind: str, keys) -> dict:
        found: dict = {}
        shared = kind in self.SHARED
        missing = []
        for key in dict.fromkeys(keys):
            value = self._memory.get((kind, key))
            if value is not None:
                found[key] = value if shared else pickle.loads(value)
            else:
                missing.append(key)
        if missing and self.fallback is not None and self.fallback.is_file():
            disk = Cache(self.fallback, readonly=True)
            try:
                for key, value in disk.get_many(kind, missing).items():
                    found[key] = value
                    self.put(kind, key, value)
            finally:
                disk.close()
        return found

    def put(self, kind: str, key: str, value, pickled: bytes | None = None) -> None:
        if len(self._memory) >= self.limit:  # entries of old versions of files pile up while editing
            self._memory.clear()
        if kind in self.SHARED:
            self._memory[(kind, key)] = value
        else:
            self._memory[(kind, key)] = pickled if pickled is not None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class CollectingCache:
    """A worker's view of a cache (read-only there): reads as the cache does, keeps what it is
    given in `entries`, (kind, key, value), for the process that owns the cache to store."""

    def __init__(self, cache):
        self.cache = cache
        self.entries: list[tuple[str, str, object]] = []

    def get_many(self, kind: str, keys) -> dict:
        return self.cache.get_many(kind, keys) if self.cache is not None else {}

    def get(self, kind: str, key: str):
        return self.get_many(kind, [key]).get(key)

    def put(self, kind: str, key: str, value, pickled: bytes | None = None) -> None:
        self.entries.append((kind, key, value))


def clean(build_dir: Path) -> bool:
    """Delete the cache (`kummi clean`). True when there was one."""
    existed = False
    for suffix in ("", "-wal", "-shm"):
        path = Path(str(Path(build_dir) / FILE) + suffix)
        if path.exists():
            path.unlink()
            existed = True
    pending = Path(build_dir) / PENDING
    if pending.is_dir():
        shutil.rmtree(pending, ignore_errors=True)
    jinja = Path(build_dir) / FILE.parent / "jinja"  # the site's compiled templates
    if jinja.is_dir():
        shutil.rmtree(jinja, ignore_errors=True)
        existed = True
    return existed
