"""One language of the site, built with MkDocs' own pieces, reusing what did not change.

This follows `mkdocs.commands.build.build` step by step (config, files, nav, pages, static files,
templates, post-build) with the same plugin events, so themes and plugins see an ordinary MkDocs
build. Two things differ:

- the output folder is a fresh staging folder (nothing to clean), and
- each page gets a key: a digest of everything its HTML depends on (its content, title and table
  of contents, the part of the navigation the page shows, its neighbours, the configuration, the
  templates, the build clock). A page whose key is unchanged since the last build is linked from
  the previous output and its search entries come from the cache, so an edited lesson re-renders
  that lesson's page (and, when a title changes, the pages that show the title).

`kummi serve` uses the same path with an in-memory record of what it last wrote.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...cache import Cache, digest

log = logging.getLogger("mkdocs.plugins.kummi")


@dataclass
class PageRecord:
    """What `kummi serve` keeps between rebuilds: the key each written page had."""

    keys: dict[str, str] = field(default_factory=dict)  # dest path (relative) -> key


@dataclass
class LanguageResult:
    pages: int = 0
    rendered: int = 0
    reused: int = 0
    outputs: dict[str, str] = field(default_factory=dict)  # rel path (in site) -> key, for cache.record
    cache: list[tuple[str, str, object]] = field(default_factory=list)  # (kind, key, value) to keep


@lru_cache(maxsize=16)
def _tree_digest(folder: str) -> str:
    """Digest of every file under a template folder (theme, overrides, the course's templates)."""
    h = hashlib.sha256()
    base = Path(folder)
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(base).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def _templates_digest(config) -> str:
    """The theme's template folders; course templates are read again on every build (they are
    edited while previewing). An installed theme (or kummi itself, installed) is its folder: the
    cache is keyed by the installed versions of kummi and mkdocs-material (cache.code_version), so
    reading the theme's thousands of files in every process would only cost time."""
    parts = []
    for folder in config.theme.dirs:
        if "site-packages" in folder or "dist-packages" in folder:
            parts.append(folder)
        else:
            parts.append(_tree_digest.__wrapped__(folder))
    return digest(tuple(parts))


def _config_digest(config) -> str:
    theme = config.theme
    site = tuple(str(config.get(k) or "") for k in ("repo_url", "repo_name", "edit_uri", "site_description", "site_author"))
    plugins = tuple((name, repr(sorted((k, repr(v)) for k, v in plugin.config.items()))) for name, plugin in config.plugins.items())
    extra = tuple(sorted((k, repr(v)) for k, v in config.extra.items() if k != "alternate"))
    return digest(
        config.site_name, config.site_url or "", config.copyright or "", config.use_directory_urls,
        repr(sorted((k, repr(v)) for k, v in theme.items())), tuple(map(str, config.extra_css)),
        tuple(map(str, config.extra_javascript)), extra, plugins, _templates_digest(config), site,
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def _toc_digest(items) -> tuple:
    return tuple((i.title, i.id, i.level, _toc_digest(i.children)) for i in items)


def _nav_item(item) -> tuple:
    title = getattr(item, "title", "") or ""
    url = getattr(item, "url", "") or ""
    children = getattr(item, "children", None) or ()
    meta = repr(sorted((k, repr(v)) for k, v in (getattr(item, "meta", None) or {}).items()))  # status, icon
    return (type(item).__name__, title, url, meta, tuple(_nav_item(c) for c in children))


def _first_url(item) -> str:
    """Where Material's pruned entry of a section links: its first page, however deep."""
    children = getattr(item, "children", None)
    while children:
        item = children[0]
        children = getattr(item, "children", None)
    return getattr(item, "url", "") or ""


def _nav_digests(nav, pruned: bool) -> tuple[str, dict[int, str]]:
    """(digest of what every page shows, digest per top-level section).

    With Material's navigation.prune a page shows the top level and its own section opened;
    without it, every page shows the whole navigation."""
    if not pruned:
        return digest(tuple(_nav_item(i) for i in nav.items)), {}
    top = digest(tuple((type(i).__name__, getattr(i, "title", "") or "", getattr(i, "url", "") or "", _first_url(i),
                        len(getattr(i, "children", None) or ()),
                        repr(sorted((k, repr(v)) for k, v in (getattr(i, "meta", None) or {}).items())))
                       for i in nav.items))
    return top, {id(i): digest(_nav_item(i)) for i in nav.items}


def _section_of(page, nav) -> object | None:
    item = page
    while getattr(item, "parent", None) is not None:
        item = item.parent
    return item if item is not page else None


def page_key(page, base: str, nav_top: str, sections: dict[int, str], nav, extra: tuple, content: str | None = None) -> str:
    """`content`: a digest of what the page's content is made from when it is known before
    rendering (kummi's own pages); otherwise the rendered content and its toc are digested."""
    section = _section_of(page, nav)
    prev_, next_ = page.previous_page, page.next_page
    return digest(
        base, nav_top, sections.get(id(section), "") if section is not None else "",
        page.file.src_uri, page.url, page.title or "",
        content if content is not None else (digest(page.content or ""), _toc_digest(page.toc)),
        repr(sorted((k, repr(v)) for k, v in (page.meta or {}).items())),
        (prev_.title, prev_.url) if prev_ else (), (next_.title, next_.url) if next_ else (), extra,
    )


def build(config, cache: Cache, previous: Path | None, prefix: str = "", record: PageRecord | None = None,
          page_extra=lambda page: (), content_key=lambda page, files: None,
          inputs=lambda config: None, skipped=lambda: None, others: tuple = ()) -> LanguageResult:
    """Build `config` (already loaded) into config.site_dir. `previous` is the last output of
    this language (pages are linked from there when their key is unchanged); `prefix` is this
    language's folder inside the site ("" or "sv/"); `record` replaces `previous` while serving.

    `content_key(page, files)` gives, for a page a plugin generates, (a digest of what its
    content is made from, whether it is rendered from Markdown): such a page is read (its front
    matter) but its content is made only when its key shows it changed. Other pages are
    rendered as MkDocs does, and keyed by their content.

    `inputs(config)` gives, after the configuration event, a digest of everything else the whole
    language is made from (a plugin that generates every page knows it), or None. When the last
    build of the language had the same configuration and inputs, every file of it is linked from
    `previous` and nothing is read or rendered; `skipped()` then ends what the configuration
    event began. `others`: top-level folders of other languages inside this one's folder."""
    from mkdocs.commands.build import _build_page, _build_theme_template
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    result = LanguageResult()
    config = config.plugins.on_config(config)
    base = _config_digest(config)
    whole = None  # the language's key, when the plugin can tell its inputs
    if record is None:
        made_from = inputs(config)
        if made_from is not None:
            whole = digest("site-language", prefix, base, made_from)
            if previous is not None and _reuse_language(cache, whole, previous, Path(config.site_dir), prefix, result):
                skipped()
                return result
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    env = config.theme.get_env()
    _add_theme_files(files, config, cache, result)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    inclusion = InclusionLevel.is_included
    content_keys: dict[str, tuple[str, bool]] = {}  # src_uri -> (content key, rendered from Markdown)
    for file in files.documentation_pages(inclusion=inclusion):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        _read_page(file.page, config, files)
        known = content_key(file.page, files)
        if known is None:
            _make_content(file.page, config, files, True)
        else:
            content_keys[file.src_uri] = known
    env = config.plugins.on_env(env, config=config, files=files)
    files.copy_static_files(inclusion=inclusion)
    for template in config.theme.static_templates:
        _build_theme_template(template, env, files, config, nav)
    for template in config.extra_templates:
        from mkdocs.commands.build import _build_extra_template

        _build_extra_template(template, files, config, nav)

    search = _search_index(config)
    pruned = "navigation.prune" in (config.theme.get("features") or [])
    nav_top, sections = _nav_digests(nav, pruned)
    doc_files = files.documentation_pages(inclusion=inclusion)
    site_dir = Path(config.site_dir)
    keys = [page_key(file.page, base, nav_top, sections, nav, page_extra(file.page), content_keys.get(file.src_uri, (None, True))[0]) for file in doc_files]
    known = cache.get_many("site-search", keys) if search is not None else {}
    rendered = []
    for file, key in zip(doc_files, keys):
        page = file.page
        result.pages += 1
        rel = file.dest_uri
        result.outputs[prefix + rel] = key
        entries = known.get(key) if search is not None else ()
        if entries is not None or search is None:
            if record is not None and record.keys.get(rel) == key and (site_dir / rel).is_file():
                search.entries.extend(entries or ()) if search is not None else None
                result.reused += 1
                continue
            if record is None and previous is not None and cache.reuse("site", prefix + rel, key, previous, site_dir.parent if prefix else site_dir):
                search.entries.extend(entries or ()) if search is not None else None
                result.reused += 1
                continue
        before = len(search.entries) if search is not None else 0
        if file.src_uri in content_keys:
            _make_content(page, config, files, content_keys[file.src_uri][1])
        _build_page(page, config, doc_files, nav, env)
        if search is not None:
            result.cache.append(("site-search", key, list(search.entries[before:])))
        if record is not None:
            record.keys[rel] = key
        result.rendered += 1
        rendered.append(page)
    log_level = config.validation.links.anchors  # as MkDocs does, for the pages rendered now
    for page in rendered:
        page.validate_anchor_links(files=files, log_level=log_level)
    config.plugins.on_post_build(config=config)
    if whole is not None:
        _remember_language(whole, site_dir, prefix, others, result)
    return result


LANGUAGE = "site-language"  # build-cache kind: a language's key -> (pages, {file: its key})


def _remember_language(whole: str, site_dir: Path, prefix: str, others: tuple, result: LanguageResult) -> None:
    """Every file this language wrote, with its key (a page's own; another file's from the
    language's key), so that a build with the same inputs links them all."""
    files: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(site_dir):
        if dirpath == str(site_dir):
            dirnames[:] = [d for d in dirnames if d not in others]
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), site_dir).replace(os.sep, "/")
            files[rel] = result.outputs[prefix + rel] = result.outputs.get(prefix + rel) or digest(whole, rel)
    result.cache.append((LANGUAGE, whole, (result.pages, dict(sorted(files.items())))))


def _reuse_language(cache, whole: str, previous: Path, site_dir: Path, prefix: str, result: LanguageResult) -> bool:
    """Link every file of the previous build of this language, when it was made from `whole`
    and none of its files was touched since. All or nothing: on a miss the links made are
    removed again (the build would write into them, and so into the previous output)."""
    known = cache.get(LANGUAGE, whole)
    if not known:
        return False
    pages, files = known
    root = site_dir.parent if prefix else site_dir
    linked: list[Path] = []
    for rel, key in files.items():
        if not cache.reuse("site", prefix + rel, key, previous, root):
            for path in linked:
                path.unlink(missing_ok=True)
            return False
        linked.append(root / (prefix + rel))
    result.outputs.update((prefix + rel, key) for rel, key in files.items())
    result.pages = result.reused = pages
    return True


def _add_theme_files(files, config, cache, result: LanguageResult) -> None:
    """MkDocs' `Files.add_files_from_theme` (1.6), with an installed theme folder's listing
    remembered: Material's thousands of files are walked and filtered once, not by every build of
    every language. A folder that is not installed (the course's templates) is listed each time."""
    from mkdocs import utils
    from mkdocs.structure.files import File

    patterns = ('.*', '*/.*', '*.py', '*.pyc', '*.html', '*readme*', 'mkdocs_theme.yml', 'locales/*',
                *(f'*{x}' for x in utils.markdown_extensions), *config.theme.static_templates)
    listings = [(folder, _theme_listing(folder, patterns, cache, result)) for folder in config.theme.dirs]
    for path in sorted(set().union(*(listing for _, listing in listings))):
        if files.get_file_from_path(path) is None:  # theme files do not override the docs' files
            for folder, listing in listings:
                if path in listing:  # the first theme folder that has it
                    files.append(File(path, folder, config.site_dir, config.use_directory_urls))
                    break


_LISTINGS: dict[tuple, frozenset] = {}  # (folder, patterns) -> listing, for installed folders


def _theme_listing(folder: str, patterns: tuple, cache, result: LanguageResult) -> frozenset:
    installed = "site-packages" in folder or "dist-packages" in folder  # fixed by cache.code_version
    if not installed:
        return _list_folder(folder, patterns)
    memo = (folder, tuple(sorted(set(patterns))))
    if memo not in _LISTINGS:
        key = digest("theme-files", *memo)
        known = cache.get("theme-files", key)
        if known is None:
            known = _list_folder(folder, patterns)
            result.cache.append(("theme-files", key, known))
        _LISTINGS[memo] = frozenset(known)
    return _LISTINGS[memo]


def _list_folder(folder: str, patterns: tuple) -> frozenset:
    """The files under `folder` as Jinja's FileSystemLoader names them, without those that
    match a pattern (lower-cased), as MkDocs filters a theme's static files."""
    import fnmatch

    found = set()
    for dirpath, _, filenames in os.walk(folder):
        for filename in filenames:
            name = os.path.join(dirpath, filename)[len(folder):].strip(os.path.sep).replace(os.path.sep, "/")
            if name[:2] == "./":
                name = name[2:]
            if not any(fnmatch.fnmatch(name.lower(), pattern) for pattern in patterns):
                found.add(name)
    return frozenset(found)


def _read_page(page, config, files) -> None:
    """The first half of MkDocs' `_populate_page`: events and front matter, no rendering."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    except Exception as exc:
        _log_page_error(page, exc)
        raise
    finally:
        config._current_page = None


def _make_content(page, config, files, render: bool) -> None:
    """The second half: Markdown rendering (unless a plugin makes the content itself) and the
    page's content event."""
    config._current_page = page
    try:
        if render:
            page.render(config, files)
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)
    except Exception as exc:
        _log_page_error(page, exc)
        raise
    finally:
        config._current_page = None


def _log_page_error(page, exc: Exception) -> None:
    """As MkDocs reports an error while reading or rendering a page."""
    from mkdocs.exceptions import BuildError

    message = f"Error reading page '{page.file.src_uri}':"
    if not isinstance(exc, BuildError):
        message += f" {exc}"
    logging.getLogger("mkdocs.commands.build").error(message)


def _search_index(config):
    """Material's search plugin's index (entries are added per page), or None without search."""
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search" and getattr(plugin.config, "enabled", True):
            index = getattr(plugin, "search_index", None)
            if index is not None and hasattr(index, "entries"):
                return index
    return None
