"""A synthetic course of any size, for benchmarks: N modules × M lessons, Finnish and Swedish."""
from __future__ import annotations

import shutil
from pathlib import Path

from kummi.loader.markdown import content_version, split_front_matter

REPO = Path(__file__).resolve().parents[1]

LESSON = """---
title: {title}
duration: 8
---

Johdantokappale oppitunnille {n}. Työ 2.0 tarkoittaa fiksumpaa tekemistä yli rakenteiden,
ja [kummi](glossary:kummi) auttaa viemään sitä käytäntöön.

## Ilmiölähtöinen työ {n}

- Asiakkaan tarve on lähtökohta.
- Virastot tekevät yhteistyötä.
- Verkostot jakavat osaamista.

!!! notes "Kouluttajalle"
    Kysy osallistujilta esimerkkejä omasta työstä.

## Taulukko {n}

| Rakenne | Tehtävä |
|---|---|
| Kummit | Vievät muutosta virastoihin |
| Pilotit | Kokeilevat ensimmäisinä |

## Pohdittavaksi {n}

!!! reflection "Pohdi"
    Missä asiakas hyötyisi yhteistyöstä?

Katso myös [edellinen oppitunti](01-oppitunti.md#ilmiölähtöinen-työ-1).
"""


def make_course(dest: Path, modules: int, lessons: int) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO / "tests/fixtures/good/content", dest / "content")
    (dest / "content/course.yaml").write_text(
        (dest / "content/course.yaml").read_text(encoding="utf-8").replace(
            "modules: [01-perusteet]", "modules: [" + ", ".join(f"{i:02d}-moduuli-{i}" for i in range(1, modules + 1)) + "]"
        ),
        encoding="utf-8",
    )
    module_yaml = (REPO / "tests/fixtures/good/modules/01-perusteet/module.yaml").read_text(encoding="utf-8")
    quiz_yaml = (REPO / "tests/fixtures/good/modules/01-perusteet/quiz.yaml").read_text(encoding="utf-8")
    for i in range(1, modules + 1):
        folder = dest / "modules" / f"{i:02d}-moduuli-{i}"
        folder.mkdir(parents=True)
        (folder / "module.yaml").write_text(module_yaml.replace("id: perusteet", f"id: moduuli-{i}").replace("Perusteet", f"Moduuli {i}"), encoding="utf-8")
        (folder / "quiz.yaml").write_text(quiz_yaml, encoding="utf-8")
        for n in range(1, lessons + 1):
            fi = LESSON.format(title=f"Oppitunti {n}", n=n).replace("ilmiölähtöinen-työ-1", "ilmiölähtöinen-työ-1")
            (folder / f"{n:02d}-oppitunti.md").write_text(fi, encoding="utf-8")
            _, body, _ = split_front_matter(fi)
            sv = fi.replace("duration: 8\n", f'duration: 8\nsource_version: "{content_version(body)}"\n')
            (folder / f"{n:02d}-oppitunti.sv.md").write_text(sv, encoding="utf-8")
    return dest
