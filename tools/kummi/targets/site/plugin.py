"""The kummi MkDocs plugin: every page of the site is generated from the course model.

mkdocs.yml lists it (`plugins: [kummi, search, offline]`); `mkdocs build`, `mkdocs serve`,
`kummi build` and `kummi serve` all run through it. The config builds the Finnish site at the
root; when it is done, the plugin builds each other course language into `<site>/<lang>/` with
the same mkdocs.yml (theme language, search language, nav and language switch per site).
"""
from __future__ import annotations

import json
import logging
import os
import posixpath
import re
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from ...cache import digest, file_stamp
from ...i18n import M_, Msg, text
from . import runtime, searchworker
from .i18n import NATIVE
from .links import resolve_links
from .pages import page_templates, plan_site, safe_title
from .sanitize import clean
from ...views import learner_view, published_view

PACKAGE = Path(__file__).parent
OVERRIDES = PACKAGE / "overrides"
EXTRA_CSS = ["assets/kummi/kummi.css"]
EXTRA_JS = ["assets/kummi/answerkey.js", "assets/kummi/quiz.js", "assets/kummi/competence.js"]
ANSWER_KEY_JS = Path(__file__).parents[2] / "assets" / "answerkey.js"
IFRAME_WORKER = "assets/kummi/vendor/iframe-worker-shim.js"
LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.nav", "mkdocs.structure.files", "mkdocs.commands.build")
log = logging.getLogger("mkdocs.plugins.kummi")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # in reprs of functions (toc's slugify): differs per process


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates (Material's and kummi's page templates) shared by every build in this process (each language, each
    rebuild of `kummi serve`) and, when `folder` is set (a `kummi build` with its cache), kept in
    build/.cache/jinja/ for the next build. Jinja checks each entry against the template source."""

    def __init__(self):
        self.store: dict[str, bytes] = {}
        self.folder: Path | None = None

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is None and self.folder is not None:
            try:
                code = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        code = self.store[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                tmp = self.folder / f".{bucket.key}.{os.getpid()}"
                tmp.write_bytes(code)
                tmp.replace(self.folder / bucket.key)
            except OSError:
                pass  # only a cache


_BYTECODE = _MemoryBytecodeCache()


class KummiConfig(Config):
    course_root = c.Optional(c.Type(str))  # default: the folder of mkdocs.yml


class _SourceFilter(logging.Filter):
    """Names the lesson (or YAML file) behind a generated page in MkDocs' warnings."""

    def __init__(self, sources: dict[str, str], lang: str):
        super().__init__()
        self.sources, self.lang = sources, lang

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and not getattr(record, "kummi_source", None):
            message = record.getMessage()
            match = re.search(r"Doc file '([^']+)'", message)
            source = self.sources.get(match.group(1)) if match else None
            if source:
                record.msg, record.args = text(M_("{source}: {message} [{lang} site]", source=source, message=message, lang=self.lang)), ()
                record.kummi_source = source
        return True


class LanguageSwitch:
    """`config.extra.alternate` for Material's templates: true, so the header includes
    partials/alternate.html (kummi's: links from each page to the same page in the other
    languages, computed by the plugin), but not iterable, so base.html writes no
    `<link rel="alternate">` to the language roots into <head>. For every such link Material's
    JavaScript fetches the `sitemap.xml` beside it to find the page's counterpart: needless, since
    the plugin knows every counterpart, and an error in the console of every page opened from
    file:// (no fetch is allowed there)."""

    def __bool__(self) -> bool:
        return True


class KummiPlugin(BasePlugin[KummiConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.serving = False
        self.problems: tuple = ()  # kummi check errors (Diagnostics, or a Msg) shown as a banner while serving
        self.run: runtime.Run | None = None
        self.lang = "fi"
        self.languages: list[dict] = []  # the language switch: name, lang, link between site roots
        self.plan = None
        self.glossary: dict[str, str] = {}
        self._filter: _SourceFilter | None = None
        self._worker: tuple[str, str] | None = None
        self._links_digest: str | None = None
        self._markdown_options = ""
        self.terms = None  # set by kummi's site driver: a cache.CollectingCache for search terms
        self.bytecode_folder: Path | None = None  # likewise: where compiled templates are kept

    # ------------------------------------------------------------------ config

    @event_priority(100)  # before search (reads theme.language) and offline (reads polyfills)
    def on_config(self, config):
        run = runtime.current() or runtime.Run(offline=runtime.offline_from_env(), trainer=runtime.trainer_from_env())
        root = Path(
            (run.course.root if run.course else run.root)
            or self.config.course_root
            or os.path.dirname(config.config_file_path or ".")
        ).resolve()
        self.problems = ()
        if run.course:
            course = run.course
        else:
            course, self.problems = _load(root, serving=self.serving)
            # Plain `mkdocs build` publishes what `kummi build` would; the preview shows drafts too.
            course = published_view(course, drafts=self.serving)[0]
            if not run.trainer:
                course = learner_view(course)
        self.run = run.nested(course, run.lang or course.languages[0])
        self.lang = lang = self.run.lang
        if lang not in course.languages:
            raise PluginError(text(M_("the course is not published in '{lang}' (languages: {languages})", lang=lang, languages=", ".join(course.languages))))
        primary = lang if self.run.single else course.languages[0]
        prefix = "" if lang == primary else f"{lang}/"

        theme = config.theme
        theme["language"] = lang
        theme["font"] = False
        course_templates = root / "templates" / "site"
        first = [str(course_templates)] if course_templates.is_dir() else []
        theme.dirs[:] = first + [str(OVERRIDES)] + [d for d in theme.dirs if d not in first and d != str(OVERRIDES)]

        config.site_name = safe_title(course.title.get(lang)) or config.site_name
        if course.site_url:
            config.site_url = course.site_url.rstrip("/") + "/" + prefix
        config.copyright = safe_title(f"{course.publisher.get(lang)} · {course.licence}")
        self.languages = [
            {"name": NATIVE.get(other, other), "lang": other, "link": _site_link(lang, other, primary)}
            for other in course.languages
        ] if len(course.languages) > 1 and not self.run.single else []
        config.extra["alternate"] = LanguageSwitch() if self.languages else []
        config.extra_css = [*config.extra_css, *(x for x in EXTRA_CSS if x not in config.extra_css)]
        config.extra_javascript = [*config.extra_javascript, *(x for x in EXTRA_JS if x not in map(str, config.extra_javascript))]

        for name, plugin in config.plugins.items():
            short = name.split("/")[-1]
            if short == "search":
                plugin.config.lang = [lang]
            elif short == "offline":
                plugin.config.enabled = bool(self.run.offline)
        if self.run.offline:
            if not any(name.split("/")[-1] == "offline" for name in config.plugins):
                raise PluginError(text(M_("the offline build needs the 'offline' plugin in mkdocs.yml")))
            theme["features"] = [f for f in theme.get("features", []) if not f.startswith("navigation.instant")]
            config.extra["polyfills"] = [IFRAME_WORKER]
            # A page opened from file:// has no server to answer with a 404 page, and 404.html
            # (written for a server, with absolute /assets/ paths) would be unstyled there.
            theme.static_templates.discard("404.html")

        _BYTECODE.folder = self.bytecode_folder
        page_templates().bytecode_cache = _BYTECODE  # kummi's own page templates, like Material's below
        self.plan = plan_site(course, lang, dict(self.run.downloads), self.run.trainer)
        self.glossary = {term.id: term.definition.get(lang) for term in course.glossary}
        config.nav = self.plan.nav
        self._markdown_options = _ADDRESS.sub("", repr((config.markdown_extensions, sorted((k, repr(v)) for k, v in config.mdx_configs.items()))))
        self._install_filter()
        return config

    # ------------------------------------------------------------------ files and pages

    def on_files(self, files: Files, config) -> Files:
        docs_dir = os.path.normpath(config.docs_dir)
        kept = [f for f in files if not (f.src_dir and os.path.normpath(f.src_dir) == docs_dir) and not f.generated_by]
        out = Files(kept)
        for path, markdown in sorted(self.plan.pages.items()):
            out.append(File.generated(config, path, content=markdown))
        out.append(File.generated(config, EXTRA_JS[0], abs_src_path=str(ANSWER_KEY_JS)))
        for path, source in sorted(self.plan.static.items()):
            if out.get_file_from_path(path) is None:
                out.append(File.generated(config, path, abs_src_path=source))
        self._worker = None
        self._links_digest = None
        for f in list(out):
            if searchworker.ORIGINAL.match(f.src_uri) and f.abs_src_path:
                with open(f.abs_src_path, encoding="utf-8") as fh:
                    patched = searchworker.patch(fh.read())
                if patched:
                    out.append(File.generated(config, searchworker.PATCHED, content=patched))
                    self._worker = (f.src_uri.rsplit("/", 1)[1], searchworker.PATCHED.rsplit("/", 1)[1])
        return out

    def on_startup(self, command, dirty):
        # Defining on_startup also keeps this plugin instance across `serve` rebuilds.
        self.serving = command == "serve"

    def on_post_page(self, output, page, config):
        if self._worker:
            output = output.replace(f"workers/{self._worker[0]}", f"workers/{self._worker[1]}")
        if self.problems:
            output = _with_error_banner(output, self.problems, self.lang)
        return output

    def on_env(self, env, config, files):
        _BYTECODE.folder = self.bytecode_folder
        env.bytecode_cache = _BYTECODE  # Material's templates compile once, not per build
        _with_base_forms(config, self.lang, self.terms)
        return env

    def on_page_content(self, html, page, config, files):
        rendered = self.plan.html.get(page.file.src_uri)
        if rendered is not None:
            # A lesson: kummi rendered it from the loader's tokens; only its links are resolved here.
            missing: list[str] = []
            html = resolve_links(rendered.html, page.file, files, self.glossary, missing)
            for target in missing:  # as MkDocs says it, so that strict mode fails and the filter names the lesson
                logging.getLogger("mkdocs.structure.pages").warning(
                    "Doc file '%s' contains a link '%s', but the target is not found among documentation files.",
                    page.file.src_uri, target,
                )
            page.toc = get_toc(list(rendered.toc))
            page.present_anchor_ids = set(rendered.anchors)
            page.links_to_anchors = {}
        for item in _walk_toc(page.toc):
            item.title = clean(item.title)
        return clean(html)

    def content_key(self, page, files) -> tuple[str, bool] | None:
        """For a page this plugin generates: (a digest of everything its content is made from,
        whether MkDocs renders it from Markdown), known before the page is rendered. A lesson's
        content is the HTML kummi rendered (its links resolved against the glossary and the site's
        files); another generated page's is its Markdown, rendered with the configured extensions.
        None for pages the plugin does not make."""
        if self.plan is None or page.file.src_uri not in self.plan.pages:
            return None
        if self._links_digest is None:
            self._links_digest = digest(sorted(self.glossary.items()), sorted((f.src_uri, f.url) for f in files), self._markdown_options)
        rendered = self.plan.html.get(page.file.src_uri)
        if rendered is not None:
            return digest(rendered.html, repr(rendered.toc), self._links_digest), False
        return digest(page.markdown or "", self._links_digest), True

    def language_inputs(self, config) -> str | None:
        """What this language's site is made from besides MkDocs' configuration (its site
        driver digests that): every page kummi generates (Markdown, rendered HTML, tables of
        contents), the navigation, the files the site copies (cache.file_stamp, as decks and
        packages key theirs), the glossary that links resolve against, the language switch and
        the Markdown settings. None while an error banner is shown."""
        if self.plan is None or self.problems:
            return None
        plan = self.plan
        copied = tuple((path, file_stamp(*os.path.split(source))) for path, source in sorted(plan.static.items()))
        return digest(
            self.lang, tuple(sorted(plan.pages.items())),
            tuple((path, page.title, page.html, repr(page.toc), tuple(sorted(page.anchors))) for path, page in sorted(plan.html.items())),
            copied, repr(plan.nav), repr(self.languages), self._markdown_options, tuple(sorted(self.glossary.items())),
            bool(self.run and self.run.offline),
        )

    def language_reused(self) -> None:
        """The driver linked the whole language from the last build: nothing more happens here."""
        self._remove_filter()

    def on_page_context(self, context, page, config, nav):
        context["kummi_lang"] = self.lang
        context["kummi_alternates"] = self._alternates(context.get("base_url", ""), page.url)
        return context

    def on_template_context(self, context, template_name, config):
        # 404.html: no page of its own, so the switch leads to the other languages' home pages
        context["kummi_alternates"] = self._alternates(context.get("base_url", ""), "")
        return context

    def _alternates(self, base_url: str, url: str) -> list[dict]:
        """The language switch of one page: the same page in every language of the course.
        Every language site has the same pages at the same paths (pages.py), so the counterpart
        is `url` under the other site's root; `base_url` leads from this page to this site's root."""
        base = base_url.rstrip("/") + "/" if base_url else ""
        out = []
        for alt in self.languages:
            href = base + alt["link"] + url
            if href.startswith("/"):  # 404.html links from the server root: "/../" is "/"
                href = posixpath.normpath(href).rstrip("/") + ("/" if href.endswith("/") else "")
            out.append({**alt, "href": href, "current": alt["lang"] == self.lang})
        return out

    # ------------------------------------------------------------------ serve and other languages

    def on_serve(self, server, config, builder):
        root = Path(self.run.course.root)
        for name in ("modules", "templates"):
            if (root / name).is_dir():
                server.watch(str(root / name))
        if not _watch_natively(server):
            _poll_faster(server.observer)
        return server

    @event_priority(-200)  # after search and offline have finished this language's site
    def on_post_build(self, config):
        self._remove_filter()
        _index_base_forms(config.site_dir, self.lang, self.terms, _base_forms_written(config))
        course = self.run.course
        if self.run.single or self.lang != course.languages[0] or (runtime.current() and runtime.current().lang):
            return
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        for lang in course.languages[1:]:
            with runtime.running(self.run.nested(course, lang)):
                nested = load_config(
                    config_file=config.config_file_path,
                    docs_dir=config.docs_dir,
                    site_dir=os.path.join(config.site_dir, lang),
                )
                build(nested)

    def on_build_error(self, error):
        self._remove_filter()

    def _install_filter(self):
        self._filter = _SourceFilter(self.plan.sources, self.lang)
        for name in LOGGERS:
            logging.getLogger(name).addFilter(self._filter)

    def _remove_filter(self):
        if self._filter is not None:
            for name in LOGGERS:
                logging.getLogger(name).removeFilter(self._filter)
            self._filter = None


def _with_base_forms(config, lang: str, terms=None) -> None:
    """Material's search plugin writes its index with base forms (searchworker.py) in the JSON
    it writes, instead of kummi reading the index back and writing it again; and it writes the
    JSON a document at a time, not as one string (tens of MB at the end of a catalogue's build,
    in every language's worker at once). A rebuild that passes the previous index (MkDocs'
    dirty reload) goes the old way (`_index_base_forms`)."""
    plugin = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
    index = getattr(plugin, "search_index", None)
    generate = getattr(index, "generate_search_index", None)
    if generate is None or not hasattr(index, "entries") or getattr(generate, "kummi", False):
        return

    def data_with_base_forms() -> dict:
        # What Material dumps, as it reads back; its documents are copied, not changed (the build
        # caches them as they are).
        settings = json.loads(json.dumps({key: index.config[key] for key in ("lang", "separator", "pipeline", "fields")}, default=str))
        data = {"config": settings, "docs": [dict(entry) for entry in index.entries]}
        data = searchworker.add_base_forms(data, lang, terms)
        index.kummi_base_forms = True
        return data

    def generate_with_base_forms(prev):
        if prev:
            return generate(prev)
        return _dumps(data_with_base_forms())

    generate_with_base_forms.kummi = True
    index.generate_search_index = generate_with_base_forms
    index.kummi_base_forms = False
    _write_index_in_pieces(config, plugin, data_with_base_forms)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _write_index_in_pieces(config, plugin, data_with_base_forms) -> None:
    """Put, in place of Material's search `on_post_build` in MkDocs' event list, one that writes
    the same bytes a document at a time. Material's stays in use while dirty-reloading."""
    events = config.plugins.events.get("post_build", [])
    for n, method in enumerate(events):
        if getattr(method, "__self__", None) is plugin and getattr(method, "__func__", None) is type(plugin).on_post_build:
            original = method
            break
    else:
        return

    def on_post_build(*, config):
        if not plugin.config.enabled or getattr(plugin, "is_dirty", False):
            return original(config=config)
        data = data_with_base_forms()
        path = Path(config.site_dir) / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            if list(data) != ["config", "docs"]:
                out.write(_dumps(data).encode("utf-8"))
                return
            # as json.dumps(data) writes it, in pieces
            out.write(b'{"config":' + _dumps(data["config"]).encode("utf-8") + b',"docs":[')
            for i, doc in enumerate(data["docs"]):
                out.write((b"," if i else b"") + _dumps(doc).encode("utf-8"))
            out.write(b"]}")

    events[n] = on_post_build
    origins = getattr(config.plugins, "_event_origins", None)
    if isinstance(origins, dict):  # MkDocs names the plugin of an event in its debug log
        origins[on_post_build] = origins.get(original, "search")


def _base_forms_written(config) -> bool:
    plugin = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
    return bool(getattr(getattr(plugin, "search_index", None), "kummi_base_forms", False))


def _index_base_forms(site_dir: str, lang: str, terms=None, written: bool = False) -> None:
    """Base forms into this language's search index (searchworker.py), unless Material wrote them
    already (`_with_base_forms`); the offline build's inlined copy of the index (search_index.js,
    written by the offline plugin) is rewritten to match. `written`: the base forms are in already."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    offline = (path.parent / "search_index.js").is_file()
    if written:
        if offline:
            text = path.read_text(encoding="utf-8")
    else:
        text = _dumps(searchworker.add_base_forms(json.loads(path.read_text(encoding="utf-8")), lang, terms))
        path.write_text(text, encoding="utf-8")
    if offline:
        (path.parent / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")


def _site_link(lang: str, other: str, primary: str) -> str:
    """From the root of the `lang` site to the root of the `other` site."""
    up = "" if lang == primary else "../"
    down = "" if other == primary else f"{other}/"
    return up + down


def _watch_natively(server) -> bool:
    """MkDocs polls the watched folders (every file's status, several times a second: a fifth of
    a core for a 1000-lesson course, taken from the rebuilds too). Where the system tells of
    changes itself (inotify on Linux), watch through it: the paths MkDocs and kummi watch are
    moved to a native observer that passes on only changes (not a file being opened or read,
    which every rebuild does). False, and the polling stays, where that cannot be done."""
    try:
        from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileAttribEvent, FileClosedEvent,
                                     FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                                     FileSystemEventHandler)
        from watchdog.observers.inotify import InotifyObserver
    except (ImportError, OSError):
        return False
    watched = getattr(server, "_watched_paths", None)
    if not isinstance(watched, dict) or not hasattr(server, "unwatch") or getattr(server.observer, "is_alive", lambda: True)():
        return False
    changes = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent, FileAttribEvent,
               DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

    class ChangesOnly(InotifyObserver):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or changes,
                                    follow_symlink=follow_symlink)

    # inotify fails only when an observer starts (no inotify here, or its limit of watches
    # reached), inside MkDocs' serve: try it on the same paths first, with an observer of its own.
    probe = ChangesOnly()
    try:
        for path in watched:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
        probe.start()
    except OSError:
        return False
    finally:
        probe.stop()
        if probe.is_alive():
            probe.join()
    paths = list(watched.items())
    for path, count in paths:
        for _ in range(count):
            server.unwatch(path)
    server.observer = ChangesOnly()
    for path, count in paths:
        for _ in range(count):
            server.watch(path)
    return True


def _poll_faster(observer, seconds: float = 0.2) -> None:
    """MkDocs polls for changes every 0.5 s; an edit should show within 2 s, so poll more often.
    (watchdog keeps the interval in private attributes; if they move, the default stays.)"""
    for target in (observer, *getattr(observer, "emitters", ())):
        if isinstance(getattr(target, "_timeout", None), (int, float)):
            target._timeout = seconds


def _walk_toc(items):
    for item in items:
        yield item
        yield from _walk_toc(item.children)


_LAST_GOOD: dict[str, object] = {}  # course root -> last course without errors (for serve)
_SERVE_CACHES: dict[str, object] = {}  # course root -> cache.MemoryCache of this serve


def _serve_cache(root: Path):
    """While serving, a rebuild parses and spell-checks only the files that changed since the last."""
    from ...cache import FILE, MemoryCache

    return _SERVE_CACHES.setdefault(str(root), MemoryCache(fallback=Path(root) / "build" / FILE))


PREVIEW_TOLERATED = frozenset({"KM601", "KM602"})  # translation errors of published modules


def _load(root: Path, serving: bool = False):
    """Plain `mkdocs build/serve` and `kummi serve`: load and check the course like `kummi check`.
    While serving, a course with errors is previewed as it last was without them, with the errors
    on every page; otherwise the errors stop the build."""
    from ...pipeline import load_and_check

    course, report = load_and_check(root, cache=_serve_cache(root) if serving else None)
    errors = report.errors
    if serving:
        # A translation that is missing or behind its Finnish source blocks publishing, not the
        # preview: the mentor who edits the Finnish must see the edit before updating the Swedish.
        for problem in (e for e in errors if e.code in PREVIEW_TOLERATED):
            log.warning(_problem_line(problem))
        errors = [e for e in errors if e.code not in PREVIEW_TOLERATED]
    if course is not None and not errors:
        _LAST_GOOD[str(root)] = course
        return course, ()
    problems = tuple(errors) or (M_("course could not be loaded"),)
    if serving and str(root) in _LAST_GOOD:
        for problem in problems:
            log.warning(_problem_line(problem))
        return _LAST_GOOD[str(root)], problems
    message = M_("the course has errors (run 'kummi check'):\n  {errors}", errors="\n  ".join(_problem_line(p) for p in problems))
    raise PluginError(text(message))


def _problem_line(problem, lang: str | None = None) -> str:
    """One error of `kummi check` as a line, in `lang` (default: the UI language)."""
    if isinstance(problem, Msg):
        return problem.render(lang)
    line = f"{problem.location}: {problem.code} {text(problem.message, lang)}"
    return line + (f" ({text(problem.hint, lang)})" if problem.hint else "")


# The banner is in the language of the page it is on, as are the errors listed in it.
_BANNER_TITLE = M_("The course has errors. The preview shows the last version without errors.")


def _with_error_banner(html: str, problems: tuple, lang: str) -> str:
    from markupsafe import escape

    items = "".join(f"<li><code>{escape(_problem_line(p, lang))}</code></li>" for p in problems)
    banner = (
        '<div class="kummi-serve-errors" role="alert" style="background:#fff4e5;border-bottom:4px solid #ae332d;'
        'color:#212121;padding:1rem 1.5rem;font-size:.8rem;position:relative;z-index:10">'
        f"<strong>{escape(_BANNER_TITLE.render(lang))}</strong><ul>{items}</ul></div>"
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, html, count=1)
