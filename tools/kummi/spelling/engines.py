"""The spell checkers: Voikko for Finnish, Hunspell for Swedish, both from the operating system.

- Finnish: libvoikko with the voikko-fi dictionary (Debian: `libvoikko1 voikko-fi`), called through
  the `libvoikko` ctypes module from PyPI.
- Swedish: the Hunspell library (Debian: `libhunspell-1.7-0`) with a Swedish dictionary
  (Debian: `hunspell-sv`, sv_FI preferred, else sv_SE), called through ctypes. A pure-Python
  Hunspell (spylls) takes over 5 s to load the Swedish dictionary; the C library takes 0.3 s.

`speller(lang)` gives a `Speller` or None when the library or dictionary is not installed. A
speller is shared by the whole process and remembers its answer for every distinct word (a
catalogue of 2000 lessons has far fewer distinct words than word occurrences). Calls are
serialised with a lock: neither library handle may be used by two threads at once (`kummi serve`
rebuilds in a thread).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fi", "sv")


class Speller:
    """One language's checker: `ok`, `suggest` and `lemmas` (base forms), memoised per word."""

    lang = ""
    name = ""

    def __init__(self):
        self._lock = threading.Lock()
        self._ok: dict[str, bool] = {}
        self._suggest: dict[str, tuple[str, ...]] = {}
        self._lemmas: dict[str, tuple[str, ...]] = {}

    def ok(self, word: str) -> bool:
        found = self._ok.get(word)
        if found is None:
            with self._lock:
                found = self._ok[word] = bool(self._spell(word))
        return found

    def suggest(self, word: str, n: int = 3) -> tuple[str, ...]:
        found = self._suggest.get(word)
        if found is None:
            with self._lock:
                found = tuple(dict.fromkeys(s for s in self._suggestions(word) if s and s != word))
            self._suggest[word] = found
        return found[:n]

    def lemmas(self, word: str) -> tuple[str, ...]:
        """Base forms of `word` (lower case), most likely first; () for an unknown word."""
        found = self._lemmas.get(word)
        if found is None:
            with self._lock:
                found = tuple(dict.fromkeys(x.lower() for x in self._base_forms(word) if x))
            self._lemmas[word] = found
        return found

    # implemented per library
    def _spell(self, word: str) -> bool:
        raise NotImplementedError

    def _suggestions(self, word: str) -> list[str]:
        raise NotImplementedError

    def _base_forms(self, word: str) -> list[str]:
        raise NotImplementedError


class VoikkoSpeller(Speller):
    lang, name = "fi", "Voikko"

    def __init__(self, voikko):
        super().__init__()
        self.voikko = voikko
        self._analyses: dict[str, tuple[dict, ...]] = {}

    def _spell(self, word: str) -> bool:
        return self.voikko.spell(word)

    def _suggestions(self, word: str) -> list[str]:
        return self.voikko.suggest(word)

    def analyze(self, word: str) -> tuple[dict, ...]:
        """Voikko's analyses of `word` (BASEFORM, CLASS, FSTOUTPUT…), memoised."""
        found = self._analyses.get(word)
        if found is None:
            with self._lock:
                found = tuple(dict(a) for a in self.voikko.analyze(word))
            self._analyses[word] = found
        return found

    def _base_forms(self, word: str) -> list[str]:
        # (the lock is held by lemmas(); analyze() would take it again)
        found = self._analyses.get(word)
        if found is None:
            found = tuple(dict(a) for a in self.voikko.analyze(word))
            self._analyses[word] = found
        return [a.get("BASEFORM", "") for a in found]


def _open_voikko():
    if os.environ.get("KUMMI_NO_VOIKKO"):  # tests: behave as on a machine without Voikko
        return None
    try:
        import libvoikko
    except ImportError:
        return None
    try:
        voikko = libvoikko.Voikko("fi", path=os.environ.get("VOIKKO_DICTIONARY_PATH") or None)
    except (OSError, libvoikko.VoikkoException, AttributeError, TypeError):
        return None
    voikko.setIgnoreDot(False)
    voikko.setIgnoreNumbers(True)
    voikko.setAcceptFirstUppercase(True)
    voikko.setAcceptAllUppercase(True)
    voikko.setSpellerCacheSize(3)
    return VoikkoSpeller(voikko)


# ---------------------------------------------------------------- Hunspell through ctypes

_LIBRARY_NAMES = ("libhunspell-1.7.so.0", "libhunspell-1.7.so", "libhunspell-1.6.so.0", "libhunspell.so")
DICTIONARY_DIRS = (
    "/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts", "/usr/local/share/hunspell",
    "/opt/homebrew/share/hunspell", "/Library/Spelling", str(Path.home() / "Library" / "Spelling"),
)
HUNSPELL_DICTIONARIES = {"sv": ("sv_FI", "sv_SE")}


def _hunspell_library():
    names = list(_LIBRARY_NAMES)
    for short in ("hunspell-1.7", "hunspell"):
        found = ctypes.util.find_library(short)
        if found:
            names.append(found)
    for name in names:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        c_list = ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p))
        lib.Hunspell_create.restype = ctypes.c_void_p
        lib.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.Hunspell_spell.restype = ctypes.c_int
        lib.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        for fn in (lib.Hunspell_suggest, lib.Hunspell_stem):
            fn.restype = ctypes.c_int
            fn.argtypes = [ctypes.c_void_p, c_list, ctypes.c_char_p]
        lib.Hunspell_free_list.restype = None
        lib.Hunspell_free_list.argtypes = [ctypes.c_void_p, c_list, ctypes.c_int]
        lib.Hunspell_get_dic_encoding.restype = ctypes.c_char_p
        lib.Hunspell_get_dic_encoding.argtypes = [ctypes.c_void_p]
        return lib
    return None


def find_dictionary(lang: str) -> Path | None:
    """The .aff file of the first installed dictionary for `lang` (its .dic beside it)."""
    dirs = [d for d in (os.environ.get("DICPATH") or "").split(os.pathsep) if d] + list(DICTIONARY_DIRS)
    for name in HUNSPELL_DICTIONARIES.get(lang, ()):
        for folder in dirs:
            aff = Path(folder) / f"{name}.aff"
            if aff.is_file() and aff.with_suffix(".dic").is_file():
                return aff
    return None


class HunspellSpeller(Speller):
    name = "Hunspell"

    def __init__(self, lib, handle, lang: str, dictionary: Path):
        super().__init__()
        self.lib, self.handle, self.lang, self.dictionary = lib, handle, lang, dictionary
        self.encoding = (lib.Hunspell_get_dic_encoding(handle) or b"UTF-8").decode("ascii", "replace")

    def _bytes(self, word: str) -> bytes | None:
        try:
            return word.encode(self.encoding)
        except (UnicodeEncodeError, LookupError):
            return None

    def _list(self, fn, word: str) -> list[str]:
        data = self._bytes(word)
        if data is None:
            return []
        items = ctypes.POINTER(ctypes.c_char_p)()
        n = fn(self.handle, ctypes.byref(items), data)
        try:
            return [items[i].decode(self.encoding, "replace") for i in range(n)]
        finally:
            self.lib.Hunspell_free_list(self.handle, ctypes.byref(items), n)

    def _spell(self, word: str) -> bool:
        data = self._bytes(word)
        return data is not None and self.lib.Hunspell_spell(self.handle, data) != 0

    def _suggestions(self, word: str) -> list[str]:
        return self._list(self.lib.Hunspell_suggest, word)

    def _base_forms(self, word: str) -> list[str]:
        return self._list(self.lib.Hunspell_stem, word)


def _open_hunspell(lang: str):
    if os.environ.get("KUMMI_NO_HUNSPELL"):  # tests: behave as on a machine without Hunspell
        return None
    aff = find_dictionary(lang)
    if aff is None:
        return None
    lib = _hunspell_library()
    if lib is None:
        return None
    handle = lib.Hunspell_create(os.fsencode(aff), os.fsencode(aff.with_suffix(".dic")))
    if not handle:
        return None
    return HunspellSpeller(lib, handle, lang, aff)


@lru_cache(maxsize=None)
def speller(lang: str) -> Speller | None:
    """The process's speller for `lang`, or None when it is not installed (or not supported)."""
    if lang == "fi":
        return _open_voikko()
    if lang in HUNSPELL_DICTIONARIES:
        return _open_hunspell(lang)
    return None
