"""Spelling of the course's Finnish and Swedish texts (KM801, a warning).

Checked: lesson prose (paragraphs, lists, tables, quotes, box titles and texts, trainer notes,
image alt texts, link texts), lesson titles and headings, module titles, summaries, objectives and
audiences, the course title and description, quiz questions, options and feedback, and glossary
definitions. Not checked: code spans and blocks, URLs and e-mail addresses, link and image
targets, HTML, attribute lists, words with digits, underscores, slashes or inner dots (file names,
identifiers), words in capitals (abbreviations: THL, VM:n, SCORM-paketti) and, inside a sentence,
capitalised or mixed-case words that the dictionary does not know (names: Valtori, eOppiva).

Accepted without a dictionary: the course's word lists (content/sanasto.fi.txt,
content/sanasto.sv.txt) and the words of glossary terms, agency names and codes, mentor roles
and theme names, with their inflected forms (wordlist.py).

`spelling_diagnostics(lesson_text, accepted_words)` is a pure function of one lesson file (and the
accepted words), so a caller may cache its result by the file's content; `check_spelling(course,
report)` is the course-level check registered in validate.CHECKS. When Voikko or the Swedish
Hunspell dictionary is missing, that language is not checked and one note says so.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Iterator

from .. import model as m
from ..diagnostics import Diagnostic, Location, Report, Severity
from ..i18n import M_, Msg, text
from . import engines
from .wordlist import accepted_words, add_word, read_wordlist, wordlist_path  # noqa: F401
from .words import Word, find_words_in, line_col, mask, words, yaml_value_start

CODE = "KM801"
__all__ = ["check_spelling", "spelling_diagnostics", "accepted_words", "add_word", "CODE"]

# ---------------------------------------------------------------- inflected forms of accepted words

_FI_CASES = (
    "n", "a", "ä", "ta", "tä", "na", "nä", "ksi", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "tta", "ttä",
    "an", "en", "in", "on", "un", "yn", "än", "ön", "hin", "seen", "t", "ja", "jä", "ia", "iä", "ita", "itä", "ina", "inä",
    "iksi", "issa", "issä", "ista", "istä", "illa", "illä", "ilta", "iltä", "ille", "ien", "iden", "itten", "ihin", "iin",
    "ineen", "ine", "in", "nsa", "nsä",
)
_FI_POSSESSIVES = ("", "ni", "si", "mme", "nne", "nsa", "nsä", "an", "en", "än")
_FI_CLITICS = ("", "kin", "kaan", "kään", "han", "hän", "pa", "pä", "ko", "kö")
_SV_ENDINGS = (
    "s", "n", "t", "a", "e", "en", "et", "er", "ar", "or", "na", "ns", "ts", "ens", "ets", "ers", "ars", "ors",
    "erna", "arna", "orna", "ernas", "arnas", "ornas", "are", "ares", "aren", "arens", "ande", "ning", "ningen",
)


def _endings(lang: str) -> frozenset[str]:
    if lang == "fi":
        return frozenset(c + p + k for c in ("",) + _FI_CASES for p in _FI_POSSESSIVES for k in _FI_CLITICS) - {""}
    if lang == "sv":
        return frozenset(_SV_ENDINGS)
    return frozenset()


_ENDINGS = {lang: _endings(lang) for lang in engines.LANGUAGES}
_MAX_ENDING = {lang: max(map(len, e)) if e else 0 for lang, e in _ENDINGS.items()}


def _is_accepted(word: str, accepted: frozenset[str], lang: str) -> bool:
    """`word` (lower case) is an accepted word or one of them with an inflectional ending."""
    if word in accepted:
        return True
    endings = _ENDINGS.get(lang, ())
    for k in range(1, min(_MAX_ENDING.get(lang, 0), len(word) - 2) + 1):
        if word[-k:] in endings and word[:-k] in accepted:
            return True
    return False


# ---------------------------------------------------------------- judging one word



def _abbreviation(word: str) -> bool:
    """THL, VM, HR (two or more letters, all capitals)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class _Judge:
    """Decides per distinct word whether it is right; one per (language, accepted words)."""

    def __init__(self, speller: engines.Speller, accepted: frozenset[str], lang: str):
        self.speller, self.accepted, self.lang = speller, accepted, lang
        self.memo: dict[tuple[str, bool, bool], bool] = {}

    def wrong(self, w: Word) -> bool:
        capital = w.text[:1].isupper()
        key = (w.text, w.sentence_start and capital, w.dot_follows)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = not self._right(w.text, w.sentence_start, w.dot_follows)
        return found

    def _known(self, word: str) -> bool:
        return _is_accepted(word.lower(), self.accepted, self.lang) or self.speller.ok(word)

    def _right(self, word: str, sentence_start: bool, dot_follows: bool) -> bool:
        if any(c.isdigit() or c in "_/@\\" for c in word) or "." in word:
            return True  # numbers, identifiers, file and domain names
        core = word.rstrip("-")
        if _abbreviation(core.split(":")[0].split("-")[0]) and ("-" not in core or ":" in core):
            return True  # THL, VM:n, HR:ltä
        if self._known(word) or (word != core and self._known(core)):
            return True
        if dot_follows and self.speller.ok(word + "."):
            return True  # esim., ns., t.ex.
        if ":" in core:  # a colon ending belongs to abbreviations and numbers: VM:n
            head = core.split(":")[0]
            return _abbreviation(head) or self._name(head, sentence_start) or _is_accepted(head.lower(), self.accepted, self.lang)
        if "-" in core:  # HR-kumppani, Virtu-koder: each part on its own
            parts = [p for p in core.split("-") if p]
            return all(_abbreviation(p) or self._known(p) or self._name(p, sentence_start and i == 0) for i, p in enumerate(parts))
        return self._name(core, sentence_start)

    @staticmethod
    def _name(word: str, sentence_start: bool) -> bool:
        """eOppiva, PowerPoint (capitals inside), or a capitalised word inside a sentence: names."""
        return any(c.isupper() for c in word[1:]) or (word[:1].isupper() and not sentence_start)


_JUDGES: dict[tuple[str, frozenset], _Judge] = {}


def _judge(lang: str, accepted: frozenset[str]) -> _Judge | None:
    speller = engines.speller(lang)
    if speller is None:
        return None
    key = (lang, accepted)
    judge = _JUDGES.get(key)
    if judge is None:
        if len(_JUDGES) > 16:
            _JUDGES.clear()
        judge = _JUDGES[key] = _Judge(speller, accepted, lang)
    return judge


# ---------------------------------------------------------------- diagnostics

_MESSAGES = {
    "fi": lambda word: M_("'{word}' is not in the Finnish dictionary", word=word),
    "sv": lambda word: M_("'{word}' is not in the Swedish dictionary", word=word),
}


def _diagnostic(judge: _Judge, word: str, loc: Location) -> Diagnostic:
    suggestions = judge.speller.suggest(word.rstrip("-"))
    command = f"kummi check --add-word {word.rstrip('-')} --lang {judge.lang}"
    if suggestions:
        hint = M_(
            "did you mean {suggestions}? If the word is right, add it to the course's word list: {command}",
            suggestions=" / ".join(suggestions), command=command,
        )
    else:
        hint = M_("if the word is right, add it to the course's word list: {command}", command=command)
    return Diagnostic(CODE, Severity.WARNING, _MESSAGES[judge.lang](word), loc, hint)


def _unit_diagnostics(judge: _Judge, unit_text: str, locate) -> list[Diagnostic]:
    """`locate(found_words)` gives a Location for each word."""
    wrong = [w for w in words(unit_text) if judge.wrong(w)]
    if not wrong:
        return []
    return [_diagnostic(judge, w.text, loc) for w, loc in zip(wrong, locate(wrong))]


_BROKEN_BOX = re.compile(r"^\s*(?:!{1,3}|\?{3})\+?\s*[\w-]+")
_BOX = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+\s+\"(.*)\"")


def _lesson_units(lesson_text: m.LessonText, lines: list[str]) -> Iterator[tuple[int, str]]:
    """(0-based body line where it starts, raw inline Markdown) for each run of prose, in order."""
    first = lesson_text.body_line

    def line(loc: Location) -> int:
        return loc.line - first

    def raw(loc: Location) -> str:
        n = line(loc)
        return lines[n] if 0 <= n < len(lines) else ""

    def box_title(loc: Location) -> Iterator[tuple[int, str]]:
        found = _BOX.match(raw(loc))
        if found and found.group(1).strip():
            yield line(loc), found.group(1)

    def blocks(items) -> Iterator[tuple[int, str]]:
        for b in items:
            if isinstance(b, m.Paragraph):  # "!! notes" (a broken box, KM405): the box type is no word
                yield line(b.loc), _BROKEN_BOX.sub(lambda x: " " * len(x.group(0)), b.text)
            elif isinstance(b, m.BulletList):
                yield from ((line(b.loc), item) for item in b.items)
            elif isinstance(b, m.Table):
                yield from ((line(b.loc), cell) for cell in b.header)
                yield from ((line(b.loc), cell) for row in b.rows for cell in row)
            elif isinstance(b, m.Quote):
                yield line(b.loc), b.text
            elif isinstance(b, m.Image):
                yield line(b.loc), b.alt
            elif isinstance(b, (m.Callout, m.Reflection, m.Notes)):
                yield from box_title(b.loc)
                yield from blocks(b.blocks)
            # m.Code and anything else: not prose

    for slide in lesson_text.slides:
        if not slide.intro:
            yield line(slide.loc), re.sub(r"^\s*#+\s*|\s+#+\s*$", "", raw(slide.loc))
        yield from blocks(slide.blocks)


def spelling_diagnostics(lesson_text: m.LessonText, accepted_words: frozenset[str], source: str | None = None) -> list[Diagnostic]:
    """KM801 warnings for one lesson file: its title and body. A pure function of its arguments
    (and the installed dictionaries), so a caller may cache it by the file's content. `source`, the
    whole file, places the words of the title exactly; without it they are reported at 1:1."""
    judge = _judge(lesson_text.lang, accepted_words)
    if judge is None:
        return []
    out: list[Diagnostic] = []
    loc = lesson_text.loc
    # The title, in the front matter.
    head = "\n".join((source or "").split("\n")[: max(lesson_text.body_line - 1, 0)])
    start = yaml_value_start(head, 1, ("title",)) if head else None

    def locate_title(found: list[Word]) -> list[Location]:
        offsets = find_words_in(head, start, found) if start is not None else [None] * len(found)
        return [loc.at(*line_col(head, at)) if at is not None else loc.at(1, 1) for at in offsets]

    out += _unit_diagnostics(judge, lesson_text.title, locate_title)
    # The body: the words of each unit are looked for in the masked body from the unit's first
    # line, but not beyond the line where a later unit starts.
    body = lesson_text.markdown
    lines = body.split("\n")
    units = list(_lesson_units(lesson_text, lines))
    if not units:
        return out
    masked = mask(body)
    starts = [0]
    for text_line in lines:
        starts.append(starts[-1] + len(text_line) + 1)
    offset = lesson_text.body_line - 1
    cursor = 0
    for i, (n, unit_text) in enumerate(units):
        found = list(words(unit_text))
        if not found:
            continue
        n = min(max(n, 0), len(lines) - 1)
        later = next((u for u, _ in units[i + 1:] if u > n), len(lines))
        begin, limit = max(cursor, starts[n]), starts[min(later, len(lines))]
        positions = find_words_in(masked, begin, found, limit)
        for w, at in zip(found, positions):
            if at is not None:
                cursor = at + len(w.text)
            if judge.wrong(w):
                if at is None:
                    where = loc.at(n + 1 + offset, 1)
                else:
                    line, col = line_col(body, at)
                    where = loc.at(line + offset, col)
                out.append(_diagnostic(judge, w.text, where))
    return out


def _yaml_diagnostics(judge: _Judge, path: str, source: str, node_line: int, field: str, value: str, nth: int = 1) -> list[Diagnostic]:
    """Warnings for one YAML text (`field` of the node written at `node_line`, in judge.lang)."""
    def locate(found: list[Word]) -> list[Location]:
        start = _value_start(source, node_line, field, judge.lang, nth)
        offsets = find_words_in(source, start, found) if start is not None else [None] * len(found)
        fallback = line_col(source, start) if start is not None else (node_line, 1)
        return [Location(path, *(line_col(source, at) if at is not None else fallback)) for at in offsets]

    return _unit_diagnostics(judge, value, locate)


def _value_start(source: str, node_line: int, field: str, lang: str, nth: int) -> int | None:
    """Where the `lang` text of `field` starts: `field: {fi: …}`, `field:\\n  fi: …` or, for
    Finnish, `field: plain text`."""
    if field:
        at = yaml_value_start(source, node_line, (field,))
        if at is None:
            return None
        end = source.find("\n", at)
        rest = source[at: end if end >= 0 else len(source)].strip()
        if rest and not rest.startswith(("{", "|", ">")) and lang == "fi":
            return at + (1 if source[at] in "\"'" else 0)
        if rest.startswith(("|", ">")):
            return at
        line = line_col(source, at)[0]
    else:
        line = node_line
    at = yaml_value_start(source, line, (lang,), nth)
    if at is not None and at < len(source) and source[at] in "\"'":
        at += 1
    return at


# ---------------------------------------------------------------- the course-level check

_NOTED: set[str] = set()


def _note(message: Msg) -> None:
    """Print a note once per process (stderr, so that --format json stays parseable)."""
    key = message.msgid
    if key in _NOTED:
        return
    _NOTED.add(key)
    # TRANSLATORS: a remark printed once, e.g. that a spelling dictionary is missing.
    print(text(M_("note: {note}", note=text(message))), file=sys.stderr)


def missing_note(missing: list[str]) -> Msg | None:
    if "fi" in missing and "sv" in missing:
        return M_(
            "Spelling was not checked: Voikko (Finnish) and Hunspell with a Swedish dictionary are not installed. "
            "On Debian or Ubuntu: sudo apt-get install libvoikko1 voikko-fi libhunspell-1.7-0 hunspell-sv"
        )
    if "fi" in missing:
        return M_("Finnish spelling was not checked: Voikko is not installed. On Debian or Ubuntu: sudo apt-get install libvoikko1 voikko-fi")
    if "sv" in missing:
        return M_(
            "Swedish spelling was not checked: Hunspell with a Swedish dictionary is not installed. "
            "On Debian or Ubuntu: sudo apt-get install libhunspell-1.7-0 hunspell-sv"
        )
    return None


def _read(root: Path, rel: str) -> str:
    try:
        return (root / rel).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return ""


def dictionary_stamp(speller: engines.Speller) -> tuple:
    """What identifies the installed dictionary behind `speller` (part of the cache key of a
    lesson's spelling warnings): the engine, its version or dictionary file, and its size and time."""
    path = getattr(speller, "dictionary", None)
    files = (path, path.with_suffix(".dic")) if isinstance(path, Path) else ()
    stamps = []
    for f in files:
        try:
            st = f.stat()
            stamps.append((str(f), st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((str(f), -1, -1))
    version = ""
    voikko = getattr(speller, "voikko", None)
    if voikko is not None:
        try:
            import libvoikko

            version = str(libvoikko.Voikko.getVersion()) + repr([(d.language, d.variant, d.description) for d in libvoikko.Voikko.listDicts()])
        except Exception:  # an unknown dictionary: no cache hit is better than a stale one
            version = repr(id(speller))
    return (type(speller).__name__, speller.name, speller.lang, version, tuple(stamps), os.environ.get("VOIKKO_DICTIONARY_PATH", ""))


def check_spelling(course: m.Course, report: Report, cache=None) -> None:
    """KM801 for the whole course. With a `cache` (cache.Cache), a lesson file whose bytes, the
    accepted words and the dictionary are unchanged gets its warnings from the cache."""
    langs = [lang for lang in course.languages if lang in engines.LANGUAGES]
    judges = {}
    missing = []
    for lang in langs:
        judge = _judge(lang, accepted_words(course, lang)) if engines.speller(lang) else None
        if judge is None:
            missing.append(lang)
        else:
            judges[lang] = judge
    note = missing_note(missing)
    if note is not None:
        _note(note)
    if not judges:
        return
    root = Path(course.root)
    items = report.items
    sources: dict[str, str] = {}

    def source(rel: str) -> str:
        if rel not in sources:
            sources[rel] = _read(root, rel)
        return sources[rel]

    def yaml_text(out: list, path: str, node_line: int, field: str, value: m.LocalText, nth: int = 1) -> None:
        for lang, judge in judges.items():
            if value.has(lang):
                out.extend(_yaml_diagnostics(judge, path, source(path), node_line, field, value.get(lang), nth))

    keys: dict[int, str] = {}  # id(lesson text) -> cache key of its warnings
    known: dict = {}
    judged = ""  # digest of the judges (accepted words, dictionaries): part of every key
    if cache is not None:
        from ..cache import digest

        base = {lang: digest(tuple(sorted(judge.accepted)), dictionary_stamp(judge.speller)) for lang, judge in judges.items()}
        judged = digest(tuple(sorted(base.items())))
        keys = {id(t): digest("spelling", t.digest, base[t.lang]) for module in course.modules for lesson in module.lessons
                for t in lesson.texts if t.lang in judges and t.digest}
        known = cache.get_many("spelling", keys.values())

    def yaml_file(path: str, texts) -> None:
        """The warnings on a YAML file's texts (`texts(out)` spells them into `out`); with a
        cache, kept by the file's text (its positions and texts all come from it)."""
        if cache is None:
            texts(items)
            return
        key = digest("spelling-yaml", path, source(path), judged)
        found = cache.get("spelling", key)
        if found is None:
            found = []
            texts(found)
            cache.put("spelling", key, found)
        items.extend(found)

    def course_texts(out: list) -> None:
        yaml_text(out, course.loc.path, 1, "title", course.title)
        yaml_text(out, course.loc.path, 1, "description", course.description)

    yaml_file(course.loc.path, course_texts)
    if course.glossary:
        yaml_file(course.glossary[0].loc.path, lambda out: [yaml_text(out, term.loc.path, term.loc.line, "definition", term.definition)
                                                           for term in course.glossary])
    for module in course.modules:
        path = f"{module.path}/module.yaml"

        def module_texts(out: list, module=module, path=path) -> None:
            for field in ("title", "summary", "audience"):
                yaml_text(out, path, module.loc_of(field).line, field, getattr(module, field))
            objectives = module.loc_of("objectives").line
            for i, objective in enumerate(module.objectives, 1):
                for lang, judge in judges.items():
                    if objective.has(lang):
                        out.extend(_yaml_diagnostics(judge, path, source(path), objectives, "", objective.get(lang), nth=i))

        def quiz_texts(out: list, module=module) -> None:
            quiz = module.quiz.path
            for q in module.quiz.questions:
                yaml_text(out, quiz, q.loc.line, "question", q.prompt)
                for option in q.options:
                    if q.type == "truefalse":  # the option texts are kummi's own (Tosi/Epätosi)
                        yaml_text(out, quiz, q.loc.line, f"feedback_{option.id}", option.feedback)
                    else:
                        yaml_text(out, quiz, option.loc.line, "text", option.text)
                        yaml_text(out, quiz, option.loc.line, "feedback", option.feedback)

        yaml_file(path, module_texts)
        if module.quiz:
            yaml_file(module.quiz.path, quiz_texts)
        for lesson in module.lessons:
            for lesson_text in lesson.texts:
                if lesson_text.lang in judges:
                    key = keys.get(id(lesson_text), "")
                    found = known.get(key) if key else None
                    if found is None:
                        found = spelling_diagnostics(lesson_text, judges[lesson_text.lang].accepted, source(lesson_text.path))
                        if key:
                            cache.put("spelling", key, found)
                    items.extend(found)
