"""kummi speaks Finnish and Swedish: complete catalogues, and every line it prints in the user's language.

The "no English" check has two parts, both strict enough to fail on one forgotten string:
- an English msgid fragment (three words or more) that no Finnish/Swedish text contains is English;
- a common English word outside quotes, paths, options and codes is English.
Both are run on every fi and sv translation too (so they do not flag real Finnish or Swedish), and on
the English output (so they do flag English).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from testpaths import FIXTURES, REPO, copy_course

LOCALE = REPO / "tools" / "kummi" / "locale"
LANGS = ("fi", "sv")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]")

# Words that a Finnish or Swedish line never contains outside code and quotes. Words that are also
# Finnish or Swedish (on, in, text, problem, status) and kummi's command names (build, check, new,
# module) are left out.
ENGLISH_WORDS = frozenset("""
    the is are was were not and of to with this that for from file files lesson lessons modules error
    errors warning warnings found missing use should cannot please usage options option commands command
    try help message default print only see has have does did you mean your would which there it its
    been will than then show exit built building wrote written directory path word args no such invalid
    value choose already added deleted stopped run running hint note
""".split())
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|‘[^’]*’|“[^”]*”|\[[^\]]*\|[^\]]*\]")
CODE_CHARS = re.compile(r"[/\\._@=<>{}|~#*0-9]")


def strip_code(line: str) -> list[str]:
    """The words of a line that are prose: without quoted text, paths, options, codes and numbers."""
    words = []
    for token in QUOTED.sub(" ", line).split():
        if token.startswith("-") or token.startswith("::"):
            continue
        token = token.strip("()[],.:;!?…'\"")
        if not token or CODE_CHARS.search(token):
            continue
        words.extend(part.lower() for part in token.split("-") if part)
    return words


@lru_cache(maxsize=None)
def catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "kummi.po").open("rb") as fh:
        return read_po(fh, locale=lang, domain="kummi")


def msgstrs(lang: str) -> list[str]:
    out = []
    for m in catalogue(lang):
        if m.id:
            out.extend(m.string if isinstance(m.string, tuple) else (m.string,))
    return out


@lru_cache(maxsize=None)
def english_fragments(lang: str) -> tuple[str, ...]:
    """Literal parts (3+ words) of the English msgids that no translation into `lang` contains."""
    translated = "\n".join(msgstrs(lang))
    frags = set()
    for m in catalogue(lang):
        for msgid in m.id if isinstance(m.id, tuple) else (m.id,):
            for frag in PLACEHOLDER.split(msgid or ""):
                for piece in frag.split("\n"):
                    piece = piece.strip(" \t.,:;()")
                    if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3 and piece not in translated:
                        frags.add(piece)
    return tuple(sorted(frags))


def english_lines(output: str, lang: str) -> list[str]:
    found = []
    fragments = english_fragments(lang)
    for line in output.splitlines():
        words = [w for w in strip_code(line) if w in ENGLISH_WORDS]
        frags = [f for f in fragments if f in line]
        if words or frags:
            found.append(f"{line!r}  <- {words or frags[:2]}")
    return found


# ---------------------------------------------------------------- the catalogues


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_the_same_placeholders(lang):
    problems = []
    for m in catalogue(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        label = repr(ids[0])[:90]
        if m.fuzzy:
            problems.append(f"fuzzy: {label}")
        if not all(strings):
            problems.append(f"not translated: {label}")
            continue
        if len(ids) == 1:
            if set(PLACEHOLDER.findall(strings[0])) != set(PLACEHOLDER.findall(ids[0])):
                problems.append(f"placeholders differ: {label} -> {strings[0]!r}")
            continue
        singular, plural = (set(PLACEHOLDER.findall(i)) for i in ids)
        for index, string in enumerate(strings):
            want = singular if index == 0 else plural
            got = set(PLACEHOLDER.findall(string))
            # a singular form may say "one" instead of {n}; nothing else may be left out or added
            if got != want and got != want - {"{n}"}:
                problems.append(f"placeholders differ in form {index}: {label} -> {string!r}")
    assert not problems, f"{lang}: {len(problems)} problems:\n" + "\n".join(problems)


def test_catalogues_are_in_sync_with_the_code():
    res = subprocess.run([sys.executable, str(REPO / "tools" / "update-catalogues.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr + "\nrun: python3 tools/update-catalogues.py, then translate"


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_reads_as_english(lang):
    """The detector below must not flag real Finnish or Swedish (and no translation is English)."""
    flagged = [s for s in msgstrs(lang) if english_lines(s, lang)]
    assert not flagged, "\n".join(repr(s) for s in flagged)


# ---------------------------------------------------------------- everything kummi prints

def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("KUMMI_UI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return {**env, "NO_COLOR": "1", "COLUMNS": "100", **extra}


def run(args, env: dict, cwd: Path = REPO) -> str:
    res = subprocess.run([sys.executable, "-m", "kummi", *args], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=600)
    assert "Traceback" not in res.stderr, res.stderr
    return res.stdout + res.stderr


def command_paths() -> list[list[str]]:
    """Every command and subcommand of kummi, for `… --help`."""
    import click

    sys.path.insert(0, str(REPO / "tools"))
    from kummi.cli import cli

    paths = []

    def walk(group, prefix):
        for name in group.list_commands(click.Context(group)):
            cmd = group.get_command(click.Context(group), name)
            paths.append([*prefix, name])
            if isinstance(cmd, click.Group):
                walk(cmd, [*prefix, name])

    walk(cli, [])
    return paths


def walk_commands(tmp: Path) -> list[tuple[list[str], Path]]:
    course = copy_course(FIXTURES / "good", tmp / "course")
    new_course = copy_course(FIXTURES / "good", tmp / "new")
    bad_xliff = tmp / "rikki.xlf"
    bad_xliff.write_text('<xliff version="1.2"><file/></xliff>\n', encoding="utf-8")
    runs = [(["--help"], REPO), (["--version"], REPO)]
    runs += [([*path, "--help"], REPO) for path in command_paths()]
    runs += [
        (["check", str(FIXTURES / "good")], REPO),
        (["check", "--strict", str(FIXTURES / "good")], REPO),
        (["check", str(FIXTURES / "broken")], REPO),
        (["check", "--format", "github", str(FIXTURES / "broken")], REPO),
        (["status"], course),
        (["build", "--target", "moodle", "--out", str(tmp / "out"), str(course)], REPO),
        (["build", "--module", "nope", "--out", str(tmp / "out2"), str(course)], REPO),
        (["clean", str(course)], REPO),
        (["new", "module", "uusi-moduuli"], new_course),
        (["check", "--bogus"], REPO),
        (["chek"], REPO),
        (["check", "--format", "xml"], REPO),
        (["check", str(tmp / "no-such-folder")], REPO),
        (["check", "--add-word", "kaksi sanaa", str(course)], REPO),
        (["codeowners", "--check"], course),
        (["status", "--diff", "ei-ole"], course),
        (["translate", "export", "-o", str(tmp / "kurssi.xlf")], course),
        (["translate", "import", str(bad_xliff)], course),
        (["release", "--no-pdf", str(course)], REPO),  # not in git: a message, nothing written
    ]
    if ["a11y"] in command_paths():
        runs.append((["a11y", str(course)], REPO))  # no built site: a message
    return runs


def walk(tmp: Path, env: dict) -> dict[str, str]:
    runs = walk_commands(tmp)
    with ThreadPoolExecutor(max_workers=3) as pool:
        outputs = pool.map(lambda r: run(r[0], env, r[1]), runs)
        return {" ".join(args): out for (args, _cwd), out in zip(runs, outputs)}


@pytest.mark.parametrize("setting, lang", [
    ({"LANG": "fi_FI.UTF-8"}, "fi"),
    ({"LANG": "sv_SE.UTF-8"}, "sv"),
    ({"LANG": "fi_FI.UTF-8", "KUMMI_UI_LANG": "sv"}, "sv"),
], ids=["LANG=fi", "LANG=sv", "KUMMI_UI_LANG=sv"])
def test_every_line_is_in_the_users_language(tmp_path, setting, lang):
    outputs = walk(tmp_path, _env(**setting))
    english = {cmd: lines for cmd, out in outputs.items() if (lines := english_lines(out, lang))}
    report = "\n".join(f"kummi {cmd}:\n    " + "\n    ".join(lines) for cmd, lines in english.items())
    assert not english, f"English in the {lang} output:\n{report}"
    usage = {"fi": "Käyttö: kummi", "sv": "Användning: kummi"}[lang]
    assert outputs["--help"].startswith(usage), outputs["--help"]
    assert {"fi": "virhe KM303", "sv": "fel KM303"}[lang] in outputs[f"check {FIXTURES / 'broken'}"]
    assert len(outputs) > 20 and all(out.strip() for out in outputs.values())


def test_the_detector_flags_english_output(tmp_path):
    """The same walk in English: the check must see it (else the tests above prove nothing)."""
    env = _env(LANG="fi_FI.UTF-8", KUMMI_UI_LANG="en")
    for args in (["--help"], ["check", "--help"], ["check", str(FIXTURES / "broken")], ["check", "--bogus"]):
        out = run(args, env)
        lines = [line for line in out.splitlines() if line.strip()]
        flagged = english_lines(out, "fi")
        assert len(flagged) >= len(lines) // 2, (args, flagged, out)


def test_ui_lang_en_overrides_a_finnish_locale():
    broken = str(FIXTURES / "broken")
    finnish = run(["check", broken], _env(LANG="fi_FI.UTF-8"))
    english = run(["--ui-lang", "en", "check", broken], _env(LANG="fi_FI.UTF-8"))
    assert english == run(["check", broken], _env(LANG="C.UTF-8"))
    assert "error KM303 image 'media/kuvaa.png' not found" in english
    assert "    hint: did you mean 'kuva.png'?" in english
    assert "virhe KM303" in finnish and "error KM303" not in finnish
    sv = run(["check", "--ui-lang", "sv", broken], _env(LANG="fi_FI.UTF-8"))  # after the command too
    assert "fel KM303" in sv


def test_json_is_the_same_in_every_language_except_the_texts():
    broken = str(FIXTURES / "broken")
    reports = {
        lang: json.loads(subprocess.run(
            [sys.executable, "-m", "kummi", "check", "--format", "json", broken], cwd=REPO, env=_env(**env),
            capture_output=True, text=True, timeout=300).stdout)
        for lang, env in (("en", {"LANG": "C.UTF-8"}), ("fi", {"LANG": "fi_FI.UTF-8"}), ("sv", {"KUMMI_UI_LANG": "sv"}))
    }
    neutral = {lang: [{k: v for k, v in d.items() if k not in ("message", "hint")} for d in r] for lang, r in reports.items()}
    assert neutral["en"] and neutral["en"] == neutral["fi"] == neutral["sv"]
    assert {d["severity"] for d in reports["fi"]} <= {"error", "warning"}
    for lang in LANGS:  # the texts are translated (a message may rarely read the same, e.g. a bare path)
        same = [en["message"] for en, other in zip(reports["en"], reports[lang]) if en["message"] == other["message"]]
        assert len(same) <= len(reports["en"]) // 4, (lang, same)


def test_every_metavar_is_in_the_catalogue():
    """PATH, TEXT, MODULE|FILE… in usage lines are translated (cli.I18nCommand) when they are msgids."""
    import click

    from kummi.cli import cli

    msgids = {m.id for m in catalogue("fi") if m.id}
    missing = set()

    def walk(cmd):
        ctx = click.Context(cmd)
        for param in cmd.get_params(ctx):
            if param.metavar is not None:
                missing.add(param.metavar)
            elif not param.type.get_metavar(param=param, ctx=ctx) and not getattr(param, "is_flag", False):
                missing.add((param.type.name if isinstance(param, click.Option) else param.name).upper())
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name))
        if isinstance(cmd, click.Group) and cmd.subcommand_metavar:
            missing.add(cmd.subcommand_metavar)
        if cmd.options_metavar:
            missing.add(cmd.options_metavar)

    walk(cli)
    assert not missing - msgids, "add these to click_messages.METAVARS: " + ", ".join(sorted(missing - msgids))


def test_serve_banner_is_in_the_users_language(tmp_path):
    """MkDocs' own progress lines (Building…, Serving on…) as `kummi serve` prints them."""
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    course = copy_course(FIXTURES / "good", tmp_path / "course")
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "kummi", "serve", str(course), "-a", f"127.0.0.1:{port}"],
                                stdout=err, stderr=subprocess.STDOUT, env=_env(LANG="fi_FI.UTF-8"))
        try:
            deadline = time.monotonic() + 180
            while f"127.0.0.1:{port}/" not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    out = log.read_text()
    assert f"Esikatselu osoitteessa http://127.0.0.1:{port}/" in out, out
    assert re.search(r"^TIETO +-  Sivusto valmis \(\d+,\d+ s\)$", out, re.M), out
    assert not english_lines(out, "fi"), out


def test_status_json_does_not_depend_on_the_language():
    outputs = {lang: run(["status", "--format", "json"], _env(**env), cwd=FIXTURES / "good")
               for lang, env in (("en", {"LANG": "C.UTF-8"}), ("fi", {"LANG": "fi_FI.UTF-8"}), ("sv", {"KUMMI_UI_LANG": "sv"}))}
    assert json.loads(outputs["en"]) and outputs["en"] == outputs["fi"] == outputs["sv"]
