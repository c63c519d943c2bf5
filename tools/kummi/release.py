"""`kummi release`: everything an eOppiva admin needs for one version of the course, in one folder.

build/release/<course-id>-<course version>/
    scorm/<module>.<lang>.scorm12.zip     every SCORM package (the scorm target, built for the release)
    moodle/<module>.<lang>.questions.xml  every quiz for Moodle's question bank (the moodle target)
    muutokset.fi.md, muutokset.sv.md      what changed in each module since the previous release
    tarkistuslista.fi.md/.html, tarkistuslista.sv.md/.html
                                          import checklist: each package, its Moodle settings and
                                          whether learners' records are kept or reset
    yllapitajan-opas.pdf                  docs/yllapitajan-opas.md as a tagged PDF (LibreOffice)
    release.json                          the same facts for machines (identifiers, files, previous release)
    SHA256SUMS                            `sha256sum -c SHA256SUMS` in the folder checks every file
build/release/<course-id>-<course version>.zip (+ .zip.sha256): the folder as one deterministic zip.

The previous release (what the changelog and the learner-records verdict compare against):
`--since REF` when given; otherwise the nearest git tag named `release/*` or `v*` that is an
ancestor of HEAD, not counting tags on HEAD itself (so tagging first and then running
`kummi release` on the tag still compares with the release before). Without one, this is the
first release: every package is a new activity and the changelog lists the whole history.

Learner records: Moodle matches a replaced package's items by identifier and deletes the tracks of
identifiers that disappeared. kummi derives the identifiers from the course id and the module id
only (targets/scorm/ids.py), so a package keeps its learners' records exactly when those ids are
the same as in the previous release; this module compares the identifiers of both versions, the
previous one loaded from git (`git archive`) with the same loader.

Everything is deterministic: the build clock (SOURCE_DATE_EPOCH, else the HEAD commit's time) is
the only time, files and zip members are sorted, the PDF is normalised (docpdf.py).
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import model as m
from .archive import write_zip
from .i18n import M_, MessageError, Msg, text
from .targets import BuildOptions, get_target
from .targets.scorm.ids import package_ids
from .views import published_view

TEMPLATES = Path(__file__).resolve().parent / "release_templates"
TAG_PATTERNS = ("release/*", "v*")
GUIDE = Path("docs") / "yllapitajan-opas.md"
GUIDE_PDF = "yllapitajan-opas.pdf"
DOC_LANGS = ("fi", "sv")
SUMS = "SHA256SUMS"
BUNDLE_TARGETS = ("scorm", "moodle")


class ReleaseError(MessageError):
    """The release could not be made; the message (a Msg) says why, for the user."""


# ------------------------------------------------------------------ git


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise ReleaseError(M_("git is not installed: kummi release needs it to find the previous release and the changes since then.")) from None
    except subprocess.TimeoutExpired:
        raise ReleaseError(M_("git did not answer in {seconds} s", seconds=120)) from None
    if check and proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReleaseError(M_("git {command} failed: {detail}", command=args[0], detail=detail[-1] if detail else M_("no message")))
    return proc


def _out(root: Path, *args: str) -> str:
    return _git(root, *args).stdout.decode("utf-8", "replace").strip()


@dataclass(frozen=True)
class Repository:
    root: Path  # the course root (may be a folder inside the repository)
    prefix: str  # the course root relative to the repository's top, '' or 'path/'
    head: str  # commit id of HEAD
    dirty: tuple[str, ...]  # course files with uncommitted changes


def open_repository(root: Path) -> Repository:
    proc = _git(root, "rev-parse", "--show-prefix", check=False)
    if proc.returncode != 0:
        raise ReleaseError(M_("{path} is not in a git repository: kummi release compares with the previous release in git history.", path=str(root)))
    prefix = proc.stdout.decode("utf-8").strip()
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    if head.returncode != 0:
        raise ReleaseError(M_("the git repository has no commits yet: commit the course first."))
    status = _out(root, "status", "--porcelain", "--untracked-files=all", "--", "content", "modules", "templates", str(GUIDE))
    dirty = tuple(sorted(line[3:] for line in status.splitlines() if line.strip()))
    return Repository(root, prefix, head.stdout.decode().strip(), dirty)


@dataclass(frozen=True)
class Previous:
    how: str  # "since" (--since), "tag" (found), "none" (first release)
    ref: str  # the tag or REF as given; '' for none
    commit: str
    course: m.Course | None  # the course as it was; None when it could not be read


def find_previous(repo: Repository, since: str | None) -> Previous:
    if since:
        proc = _git(repo.root, "rev-parse", "--verify", "-q", f"{since}^{{commit}}", check=False)
        if proc.returncode != 0:
            raise ReleaseError(M_("--since {ref}: no such commit, tag or branch in this repository", ref=since))
        commit = proc.stdout.decode().strip()
        return Previous("since", since, commit, course_at(repo, commit))
    on_head = _out(repo.root, "tag", "--points-at", "HEAD").split()
    args = ["describe", "--tags", "--abbrev=0"]
    for pattern in TAG_PATTERNS:
        args += ["--match", pattern]
    for tag in on_head:
        args += ["--exclude", tag]
    proc = _git(repo.root, *args, "HEAD", check=False)
    tag = proc.stdout.decode("utf-8").strip() if proc.returncode == 0 else ""
    if not tag:
        return Previous("none", "", "", None)
    commit = _out(repo.root, "rev-parse", f"{tag}^{{commit}}")
    return Previous("tag", tag, commit, course_at(repo, commit))


def course_at(repo: Repository, commit: str) -> m.Course | None:
    """The course as it was at `commit`, loaded with today's loader from `git archive`."""
    from .loader import load_course

    tree = f"{commit}:{repo.prefix}" if repo.prefix else commit
    proc = _git(repo.root, "archive", "--format=tar", tree, check=False)
    if proc.returncode != 0:
        return None
    with tempfile.TemporaryDirectory(prefix="kummi-previous-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            members = [t for t in tar.getmembers() if t.name.split("/", 1)[0] in ("content", "modules")]
            tar.extractall(tmp, members=members, filter="data")
        course, _ = load_course(Path(tmp))
    if course is None:
        return None
    return replace(course, root="")  # the files are gone: nothing may read them later


@dataclass(frozen=True)
class Commit:
    id: str
    date: str
    subject: str


def module_commits(repo: Repository, previous: Previous, paths: list[str]) -> tuple[Commit, ...]:
    if not paths:
        return ()
    span = f"{previous.commit}..HEAD" if previous.commit else "HEAD"
    raw = _out(repo.root, "log", "--no-merges", "--abbrev=12", "--date=short", "--format=%h%x1f%ad%x1f%s", span, "--", *sorted(set(paths)))
    commits = []
    for line in raw.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 3:
            commits.append(Commit(*parts))
    return tuple(commits)


# ------------------------------------------------------------------ what changed


@dataclass(frozen=True)
class ModuleChange:
    module: m.Module | None  # now; None when the module was removed
    before: m.Module | None  # in the previous release; None when new
    records: str  # kept | reset | new | removed
    ids_now: dict | None
    ids_before: dict | None
    commits: tuple[Commit, ...] = ()
    lessons_gone: tuple[str, ...] = ()  # lesson ids (file names) that were in the previous release
    questions_gone: tuple[str, ...] = ()
    questions_new: tuple[str, ...] = ()
    new_languages: tuple[str, ...] = ()  # languages the previous release did not have for this module

    @property
    def id(self) -> str:
        return (self.module or self.before).id

    @property
    def version_now(self) -> str:
        return self.module.version if self.module else ""

    @property
    def version_before(self) -> str:
        return self.before.version if self.before else ""

    @property
    def changed(self) -> bool:
        return bool(self.commits) or self.records != "kept" or self.version_now != self.version_before

    def records_for(self, lang: str) -> str:
        """The verdict for one language's package (a language new to the module is a new activity)."""
        return "new" if self.records == "kept" and lang in self.new_languages else self.records


def _ids(course_id: str, module_id: str) -> dict | None:
    try:
        return package_ids(course_id, module_id)
    except ValueError:
        return None


def _question_ids(module: m.Module | None) -> list[str]:
    return [q.id for q in module.quiz.questions] if module and module.quiz else []


def compare(course: m.Course, previous: Previous, repo: Repository) -> list[ModuleChange]:
    before = list(previous.course.modules) if previous.course else []
    by_id = {mod.id: mod for mod in before}
    by_folder = {mod.folder: mod for mod in before}
    used: set[str] = set()
    changes: list[ModuleChange] = []
    for module in course.modules:
        old = by_id.get(module.id)
        if old is None and module.folder in by_folder and by_folder[module.folder].id not in {x.id for x in course.modules}:
            old = by_folder[module.folder]  # same folder, new id: the identifiers changed
        ids_now = _ids(course.id, module.id)
        if old is None:
            records, ids_before = "new", None
        else:
            used.add(old.id)
            ids_before = _ids(previous.course.id, old.id)
            records = "kept" if ids_before is not None and ids_before == ids_now else "reset"
        paths = [module.path] + ([old.path] if old is not None else [])
        langs_before = set(previous.course.languages) if previous.course else set()
        new_langs = tuple(lang for lang in course.languages if old is not None and lang not in langs_before)
        changes.append(ModuleChange(
            module=module, before=old, records=records, ids_now=ids_now, ids_before=ids_before,
            commits=module_commits(repo, previous, paths),
            lessons_gone=tuple(sorted({ls.id for ls in old.lessons} - {ls.id for ls in module.lessons})) if old else (),
            questions_gone=tuple(q for q in _question_ids(old) if q not in _question_ids(module)),
            questions_new=tuple(q for q in _question_ids(module) if old is not None and q not in _question_ids(old)),
            new_languages=new_langs,
        ))
    for old in before:
        if old.id not in used:
            changes.append(ModuleChange(
                module=None, before=old, records="removed", ids_now=None, ids_before=_ids(previous.course.id, old.id),
                commits=module_commits(repo, previous, [old.path]),
            ))
    return changes


# ------------------------------------------------------------------ documents


LANG_NAMES = {
    "fi": {"fi": "suomi", "sv": "ruotsi", "en": "englanti"},
    "sv": {"fi": "finska", "sv": "svenska", "en": "engelska"},
}
OWN_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}  # each language in itself (activity names)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value) -> str:
    """Author text inside a Markdown document: no markup of its own, no table breaks."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    return env


@dataclass
class Package:
    module: m.Module
    lang: str
    version: str  # SCORM version
    path: str  # relative to the release folder
    records: str
    change: ModuleChange


@dataclass
class ReleaseResult:
    folder: Path
    zip: Path
    files: list[str] = field(default_factory=list)
    previous: Previous | None = None
    changes: list[ModuleChange] = field(default_factory=list)
    dirty: tuple[str, ...] = ()
    version_unchanged: bool = False  # the course version is the previous release's


def _date(epoch: int) -> str:
    d = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return f"{d.day}.{d.month}.{d.year}"


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_documents(course: m.Course, packages: list[Package], questions: list[tuple[m.Module, str, str]],
                     changes: list[ModuleChange], previous: Previous, repo: Repository, epoch: int, pdf: bool) -> dict[str, str]:
    env = _environment()
    common = dict(
        course=course, packages=packages, questions=questions, changes=changes, previous=previous,
        head=repo.head[:12], dirty=repo.dirty, date=_date(epoch), pdf=GUIDE_PDF if pdf else "",
        name=release_name(course),
    )
    docs = {}
    for lang in DOC_LANGS:
        values = dict(common, lang=lang, langname=LANG_NAMES[lang], ownname=OWN_NAMES, title=lambda t, lang=lang: t.get(lang))
        docs[f"muutokset.{lang}.md"] = env.get_template(f"changelog.{lang}.md.j2").render(**values)
        docs[f"tarkistuslista.{lang}.md"] = env.get_template(f"checklist.{lang}.md.j2").render(**values)
    return docs


def checklist_html(markdown: str, lang: str) -> str:
    """The checklist as a page to open in a browser and tick (labelled checkboxes)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    from .docpdf import STYLE

    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(tasklists_plugin, enabled=True, label=True)
    title = next((line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")), "")
    body = md.render(markdown)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title.replace(chr(92), ''))}</title>\n<style>{STYLE}"
        "body { max-width: 60em; margin: 1em auto; padding: 0 1em; line-height: 1.5; }\n"
        "li.task-list-item { list-style: none; }\nli.task-list-item input { margin-left: -1.4em; margin-right: 0.4em; }\n</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------ the release


def release_name(course: m.Course) -> str:
    return f"{course.id}-{course.version}"


def sha256sums(folder: Path) -> str:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel != SUMS:
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}\n")
    return "".join(lines)


def make_release(root: Path, course: m.Course, out_dir: Path, epoch: int, since: str | None = None, pdf: bool = True) -> ReleaseResult:
    """Build the release of the checked `course` into out_dir/release/. Raises ReleaseError."""
    root = Path(root).resolve()
    repo = open_repository(root)
    previous = find_previous(repo, since)
    course, _left_out = published_view(course, drafts=False)
    guide = root / GUIDE
    if pdf and not guide.is_file():
        raise ReleaseError(M_("{path} is missing: the release includes it as a PDF (or use --no-pdf)", path=GUIDE.as_posix()))
    name = release_name(course)
    base = out_dir / "release"
    final, staging, scratch = base / name, base / f".{name}.staging", base / f".{name}.targets"
    for folder in (staging, scratch):
        if folder.exists():
            shutil.rmtree(folder)
    staging.mkdir(parents=True)
    try:
        return _make(root, repo, course, previous, base, final, staging, scratch, epoch, pdf, guide)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def _make(root, repo, course, previous, base, final, staging, scratch, epoch, pdf, guide) -> ReleaseResult:
    options = BuildOptions(out_dir=scratch, epoch=epoch)
    built: dict[str, list[Path]] = {}
    for name in BUNDLE_TARGETS:  # through the public Target API, into a scratch build folder
        built[name] = get_target(name).build(course, options)
        shutil.move(str(scratch / name), str(staging / name))
    changes = compare(course, previous, repo)
    by_id = {c.module.id: c for c in changes if c.module}
    from .targets.scorm.ids import VERSION_SUFFIX

    versions = {suffix: version for version, suffix in VERSION_SUFFIX.items()}
    names = {p.name for p in built["scorm"]}
    packages = []
    for module in course.modules:
        for lang in course.languages:
            for suffix, version in versions.items():
                rel = f"scorm/{module.id}.{lang}.{suffix}.zip"
                if rel.split("/")[1] in names:
                    change = by_id[module.id]
                    packages.append(Package(module, lang, version, rel, change.records_for(lang), change))
    questions = []
    for module in course.modules:
        for lang in course.languages:
            rel = f"moodle/{module.id}.{lang}.questions.xml"
            if (staging / rel).is_file():
                questions.append((module, lang, rel))
    docs = render_documents(course, packages, questions, changes, previous, repo, epoch, pdf)
    for rel, body in docs.items():
        (staging / rel).write_text(body, encoding="utf-8")
        if rel.startswith("tarkistuslista."):
            lang = rel.split(".")[1]
            (staging / rel.replace(".md", ".html")).write_text(checklist_html(body, lang), encoding="utf-8")
    if pdf:
        from .docpdf import PdfError, markdown_file_to_pdf

        info = f"{course.title.get('fi')} · {course.id} {course.version} · {_date(epoch)}"
        try:
            markdown_file_to_pdf(guide, staging / GUIDE_PDF, "fi", epoch, info)
        except PdfError as exc:
            raise ReleaseError(exc.message) from None
    (staging / "release.json").write_text(_release_json(course, packages, questions, changes, previous, repo, epoch), encoding="utf-8")
    (staging / SUMS).write_text(sha256sums(staging), encoding="utf-8")
    files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    zip_path = base / f"{final.name}.zip"
    zip_tmp = base / f".{final.name}.zip.tmp"
    write_zip(zip_tmp, {f"{final.name}/{rel}": (staging / rel).read_bytes() for rel in files}, epoch,
              first=(f"{final.name}/{SUMS}",))
    # Swap in: the previous release of the same name stays until this one is complete.
    old = base / f".{final.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    zip_tmp.replace(zip_path)
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    (base / f"{final.name}.zip.sha256").write_text(f"{digest}  {zip_path.name}\n", encoding="utf-8")
    same = previous.course is not None and previous.course.version == course.version
    return ReleaseResult(final, zip_path, files, previous, changes, repo.dirty, same)


def _release_json(course, packages, questions, changes, previous, repo, epoch) -> str:
    data = {
        "course": {"id": course.id, "version": course.version, "title": dict(course.title.values)},
        "built": _iso(epoch),
        "commit": repo.head,
        "uncommitted_changes": list(repo.dirty),
        "previous_release": {"how": previous.how, "ref": previous.ref, "commit": previous.commit},
        "scorm": [
            {"file": p.path, "module": p.module.id, "lang": p.lang, "scorm_version": p.version,
             "identifiers": p.change.ids_now, "learner_records": p.records}
            for p in packages
        ],
        "moodle_questions": [{"file": rel, "module": mod.id, "lang": lang} for mod, lang, rel in questions],
        "modules": [
            {"id": c.id, "version": c.version_now, "previous_version": c.version_before, "learner_records": c.records,
             "identifiers": c.ids_now, "previous_identifiers": c.ids_before,
             "commits": [{"id": x.id, "date": x.date, "subject": x.subject} for x in c.commits]}
            for c in changes
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
