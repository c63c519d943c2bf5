"""A realistic catalogue for benchmarks: N modules × M lessons in Finnish and Swedish, and the same
pages as a plain MkDocs + mkdocs-material project (what a team would build instead).

Lessons are made of the course's own sentences (modules/*/*.md), so word lengths, Finnish
inflection and Swedish text are real: about 600 words each, 7 slides (`##`), 6 trainer-note boxes,
a reflection, a tip, a list, a table and a picture per lesson, links to the glossary and to the
previous lesson, and a 5-question quiz per module. Deterministic for a given size.
"""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

from kummi.loader.markdown import content_version, split_front_matter

REPO = Path(__file__).resolve().parents[1]
SECTIONS = 7
NOTES = 6


def _sentences(lang: str) -> list[str]:
    """Plain sentences of the course's lessons in `lang` (no links, markup or headings)."""
    pattern = "*.sv.md" if lang == "sv" else "[0-9][0-9]-*[!v].md"
    out: list[str] = []
    for path in sorted((REPO / "modules").glob(f"*/{pattern}")):
        if lang == "fi" and path.name.endswith(".sv.md"):
            continue
        _, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        for line in body.split("\n"):
            line = line.strip()
            if not line or line.startswith(("#", "!!!", "|", "-", "*", ">", "![", "```")) or line[0].isdigit():
                continue
            line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("**", "").replace("*", "")
            out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 5)
    return sorted(set(out))


def _para(rng: random.Random, sentences: list[str], n: int) -> str:
    return " ".join(rng.choice(sentences) for _ in range(n))


def _words(rng: random.Random, sentences: list[str], n: int) -> str:
    words = rng.choice(sentences).rstrip(".!?").split()
    return " ".join(words[:n]).capitalize()


def lesson(module: int, n: int, lang: str, sentences: list[str], terms: list[dict]) -> str:
    rng = random.Random(f"{module}-{n}")  # same structure in both languages
    text_rng = random.Random(f"{module}-{n}-{lang}")
    title = _words(text_rng, sentences, 4)
    note_title = {"fi": "Kouluttajalle", "sv": "För utbildaren"}[lang]
    reflect = {"fi": "Pohdi", "sv": "Fundera"}[lang]
    tip = {"fi": "Vinkki", "sv": "Tips"}[lang]
    out = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nduration: {rng.randint(6, 15)}\n---\n"]
    term = terms[n % len(terms)]
    out.append(_para(text_rng, sentences, 3) + f" [{term['term'][lang]}](glossary:{term['id']}).\n")
    headings = []
    for s in range(1, SECTIONS + 1):
        heading = f"{_words(text_rng, sentences, 3)} {s}"
        headings.append(heading)
        out.append(f"## {heading}\n")
        out.append(_para(text_rng, sentences, 3) + "\n")
        if s == 2:
            out.append("\n".join(f"- {_words(text_rng, sentences, 6)}." for _ in range(4)) + "\n")
        elif s == 3:
            out.append("| " + " | ".join(_words(text_rng, sentences, 1) for _ in range(3)) + " |\n|---|---|---|")
            out.extend("| " + " | ".join(_words(text_rng, sentences, 3) for _ in range(3)) + " |" for _ in range(4))
            out.append("")
        elif s == 4:
            out.append(f"![{_words(text_rng, sentences, 6)}](media/kaavio.png)\n")
        elif s == 5:
            out.append(f'!!! tip "{tip}"\n    {_para(text_rng, sentences, 1)}\n')
        elif s == SECTIONS:
            out.append(f'!!! reflection "{reflect}"\n    {_para(text_rng, sentences, 1)}\n')
            if n > 1:
                out.append(f"[{_words(text_rng, sentences, 3)}]({n - 1:02d}-oppitunti{'.sv' if lang == 'sv' else ''}.md)\n")
        else:
            out.append(_para(text_rng, sentences, 2) + "\n")
        if s <= NOTES:
            out.append(f'!!! notes "{note_title}"\n    {_para(text_rng, sentences, 2)}\n')
    return "\n".join(out)


QUIZ = (REPO / "modules/01-tyo-2-0/quiz.yaml")


def make_catalogue(dest: Path, modules: int, lessons: int) -> Path:
    """The kummi course at `dest` (content/ from the repository, generated modules/)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO / "content", dest / "content")
    if (REPO / "mkdocs.yml").is_file():
        shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    folders = [f"{i:02d}-moduuli-{i}" if modules < 100 else f"{i:03d}-moduuli-{i}" for i in range(1, modules + 1)]
    course = (dest / "content/course.yaml").read_text(encoding="utf-8")
    course = re.sub(r"(?ms)^modules:.*?(?=^\w|\Z)", "modules:\n" + "".join(f"  - {f}\n" for f in folders), course)
    (dest / "content/course.yaml").write_text(course, encoding="utf-8")
    from ruamel.yaml import YAML

    glossary = YAML(typ="safe").load((REPO / "content/glossary.yaml").read_text(encoding="utf-8"))
    terms = glossary["terms"]
    fi, sv = _sentences("fi"), _sentences("sv")
    template = (REPO / "modules/01-tyo-2-0/module.yaml").read_text(encoding="utf-8")
    picture = next((REPO / "modules/01-tyo-2-0/media").glob("*.png"))
    for i, folder in enumerate(folders, 1):
        path = dest / "modules" / folder
        (path / "media").mkdir(parents=True)
        shutil.copy(picture, path / "media/kaavio.png")
        module_yaml = re.sub(r"(?m)^id: .*$", f"id: moduuli-{i}", template)
        # In review: an edited Finnish lesson makes its translation outdated, an error only when published.
        module_yaml = re.sub(r"(?m)^status: .*$", "status: review", module_yaml)
        (path / "module.yaml").write_text(module_yaml, encoding="utf-8")
        shutil.copy(QUIZ, path / "quiz.yaml")
        for n in range(1, lessons + 1):
            source = lesson(i, n, "fi", fi, terms)
            (path / f"{n:02d}-oppitunti.md").write_text(source, encoding="utf-8")
            _, body, _ = split_front_matter(source)
            translation = lesson(i, n, "sv", sv, terms).replace("---\n", f'---\nsource_version: "{content_version(body)}"\n', 1)
            (path / f"{n:02d}-oppitunti.sv.md").write_text(translation, encoding="utf-8")
    return dest


def make_plain(course_root: Path, dest: Path) -> list[Path]:
    """The same learner pages as two plain MkDocs + Material projects (fi, sv): default theme, full
    nav, search in the page language, the lesson Markdown without trainer notes. Returns the
    mkdocs.yml files, to build one after the other."""
    from kummi.pipeline import load_and_check

    course, report = load_and_check(course_root)
    assert course is not None and not report.has_errors(), [d.format_text() for d in report.errors[:5]]
    if dest.exists():
        shutil.rmtree(dest)
    configs = []
    for lang in course.languages:
        docs = dest / lang / "docs"
        nav = [{"Etusivu" if lang == "fi" else "Startsida": "index.md"}]
        (docs).mkdir(parents=True)
        (docs / "index.md").write_text(f"# {course.title.get(lang)}\n\n{course.description.get(lang)}\n", encoding="utf-8")
        for module in course.modules:
            folder = docs / "modules" / module.folder
            folder.mkdir(parents=True)
            shutil.copytree(course_root / module.path / "media", folder / "media")
            items = [{module.title.get(lang): f"modules/{module.folder}/index.md"}]
            (folder / "index.md").write_text(f"# {module.title.get(lang)}\n\n{module.summary.get(lang)}\n", encoding="utf-8")
            for lesson_ in module.lessons:
                text = lesson_.text(lang)
                body = _plain_markdown(text.markdown, lang)
                (folder / f"{lesson_.id}.md").write_text(f"# {text.title}\n\n{body}", encoding="utf-8")
                items.append({text.title: f"modules/{module.folder}/{lesson_.id}.md"})
            nav.append({f"{module.number}. {module.title.get(lang)}": items})
        glossary = "\n\n".join(f"## {t.term.get(lang)}\n\n{t.definition.get(lang)}" for t in course.glossary)
        (docs / "glossary.md").write_text(f"# Sanasto\n\n{glossary}\n", encoding="utf-8")
        nav.append({"Sanasto" if lang == "fi" else "Ordlista": "glossary.md"})
        import yaml

        config = {
            "site_name": course.title.get(lang),
            "docs_dir": "docs",
            "site_dir": "site",
            "theme": {"name": "material", "language": lang, "font": False},
            "plugins": [{"search": {"lang": [lang]}}],
            "markdown_extensions": ["admonition", "tables", "attr_list", {"toc": {"permalink": True}}],
            "nav": nav,
        }
        path = dest / lang / "mkdocs.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        configs.append(path)
    return configs


_NOTES = re.compile(r"^!!! notes.*\n(?:(?: {4}.*)?\n)*", re.M)


def _plain_markdown(markdown: str, lang: str) -> str:
    body = _NOTES.sub("", markdown + "\n")
    body = re.sub(r"\]\(glossary:([\w-]+)\)", r"](../../glossary.md)", body)
    body = re.sub(r"\]\((\d\d-[\w-]+)\.sv\.md", r"](\1.md", body)
    return body.replace("!!! reflection", "!!! question")
