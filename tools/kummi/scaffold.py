"""`kummi new module ID`: a module skeleton that passes `kummi check` at once."""
from __future__ import annotations

import difflib
import re
from pathlib import Path

from ruamel.yaml import YAML

from .i18n import M_, MessageError, Msg, text
from .loader.markdown import content_version, split_front_matter

MODULE_YAML = """\
# yaml-language-server: $schema=../../schemas/module.schema.json
# Moduulin perustiedot. Ohje: docs/kirjoittajan-opas.md
id: {id}
# Otsikko jokaisella kurssin kielellä (fi pakollinen).
title:
{title}
# Lyhyt kuvaus moduulin etusivulle.
summary:
{summary}
# Osaamistavoitteet: mitä osallistuja osaa moduulin jälkeen.
objectives:
{objective}
# Kesto minuutteina (eOppivassa tavallisesti noin 30).
duration: 30
audience:
{audience}
# Kirjoittajat: kummien tunnisteet tiedostosta content/mentors.yaml.
authors: [{author}]
# draft = luonnos, review = tarkastettavana, published = julkaistu
status: draft
# Hyväksymisraja prosentteina visassa (quiz.yaml).
pass_mark: 70
version: "0.1"
"""

TEXTS = {
    "title": {"fi": "Uusi moduuli", "sv": "Ny modul", "en": "New module"},
    "summary": {"fi": "Kirjoita tähän moduulin tiivistelmä.", "sv": "Skriv modulens sammanfattning här.", "en": "Write the module summary here."},
    "objective": {"fi": "Osaat kertoa moduulin pääasiat.", "sv": "Du kan berätta modulens huvudpunkter.", "en": "You can explain the main points of the module."},
    "audience": {"fi": "Valtion esihenkilöt", "sv": "Chefer inom staten", "en": "Supervisors in central government"},
}

LESSON = {
    "fi": """---
title: Johdanto
duration: 10
---

Kirjoita tähän johdanto. Jokainen `##`-otsikko aloittaa uuden dian.

## Ensimmäinen dia

- Ensimmäinen asia
- Toinen asia

!!! notes "Kouluttajalle"
    Kouluttajan muistiinpanot näkyvät vain puhujan muistiinpanoissa.

## Pohdittavaksi

!!! reflection "Pohdi"
    Mitä tämä tarkoittaa omassa työssäsi?
""",
    "sv": """---
title: Inledning
duration: 10
source_version: "{version}"
---

Skriv inledningen här. Varje `##`-rubrik börjar en ny bild.

## Första bilden

- Det första
- Det andra

!!! notes "För utbildaren"
    Utbildarens anteckningar syns bara i talaranteckningarna.

## Att fundera på

!!! reflection "Fundera"
    Vad betyder det här i ditt eget arbete?
""",
    "en": """---
title: Introduction
duration: 10
source_version: "{version}"
---

Write the introduction here. Each `##` heading starts a new slide.

## First slide

- The first point
- The second point

!!! notes "For the trainer"
    Trainer notes appear only in the speaker notes.

## To reflect on

!!! reflection "Reflect"
    What does this mean in your own work?
""",
}

QUIZ_YAML = """\
# yaml-language-server: $schema=../../schemas/quiz.schema.json
# Visa: kysymystyypit single (yksi oikea), multiple (monta oikeaa) ja truefalse.
questions:
  - id: kysymys-1
    type: single
    question:
{question}
    options:
      - text:
{right}
        correct: true
        feedback:
{right_fb}
      - text:
{wrong}
        feedback:
{wrong_fb}
"""

QUIZ_TEXTS = {
    "question": {"fi": "Mikä on tämän moduulin tärkein asia?", "sv": "Vad är det viktigaste i den här modulen?", "en": "What is the key point of this module?"},
    "right": {"fi": "Oikea vastaus", "sv": "Rätt svar", "en": "The right answer"},
    "right_fb": {"fi": "Oikein.", "sv": "Rätt.", "en": "Correct."},
    "wrong": {"fi": "Väärä vastaus", "sv": "Fel svar", "en": "A wrong answer"},
    "wrong_fb": {"fi": "Ei aivan. Palaa oppituntiin.", "sv": "Inte riktigt. Gå tillbaka till lektionen.", "en": "Not quite. Go back to the lesson."},
}


class ScaffoldError(MessageError):
    """Why no module was created; the message is a Msg, translated when shown."""


def _local(values: dict[str, str], langs, indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}{lang}: {values[lang]}" for lang in langs)


def new_module(root: Path, module_id: str, author: str | None = None) -> Path:
    if re.match(r"^\d\d-", module_id):
        command = "kummi new module " + module_id[3:]
        raise ScaffoldError(M_("give the id without the number: '{command}' (the number is added to the folder name)", command=command))
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", module_id):
        raise ScaffoldError(M_("'{module}' is not a valid module id: use lower-case letters, digits and hyphens, e.g. 'kokeilut'", module=module_id))
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    course_file = root / "content" / "course.yaml"
    if not course_file.is_file():
        raise ScaffoldError(M_("content/course.yaml not found: run this in the course repository"))
    course = yaml.load(course_file.read_text(encoding="utf-8"))
    langs = [lang for lang in course.get("languages", ["fi"]) if lang in LESSON]
    modules_dir = root / "modules"
    existing = sorted(p.name for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []
    if any(name[3:] == module_id for name in existing):
        raise ScaffoldError(M_("module '{module}' already exists", module=module_id))
    numbers = [int(n[:2]) for n in existing if n[:2].isdigit()]
    folder = f"{(max(numbers) + 1) if numbers else 1:02d}-{module_id}"
    mentors_file = root / "content" / "mentors.yaml"
    mentors = (yaml.load(mentors_file.read_text(encoding="utf-8")) or {}).get("mentors") if mentors_file.is_file() else None
    ids = [str(m.get("id")) for m in mentors or [] if isinstance(m, dict) and m.get("id")]
    if not ids:
        raise ScaffoldError(M_("no mentors in content/mentors.yaml: add yourself there first"))
    if author is None:
        author = ids[0]
    elif author not in ids:
        close = difflib.get_close_matches(author, ids, n=1)
        if close:
            raise ScaffoldError(M_("unknown mentor '{mentor}': did you mean '{close}'?", mentor=author, close=close[0]))
        raise ScaffoldError(M_("unknown mentor '{mentor}': use an id from content/mentors.yaml", mentor=author))
    target = modules_dir / folder
    (target / "media").mkdir(parents=True)
    (target / "media" / ".gitkeep").write_text("", encoding="utf-8")
    (target / "module.yaml").write_text(
        MODULE_YAML.format(id=module_id, author=author, **{k: _local(v, langs, 2 if k != "objective" else 4) for k, v in TEXTS.items()}).replace(
            "objectives:\n    ", "objectives:\n  - "
        ),
        encoding="utf-8",
    )
    fi_text = LESSON["fi"]
    _, body, _ = split_front_matter(fi_text)
    version = content_version(body)
    for lang in langs:
        name = "01-johdanto.md" if lang == "fi" else f"01-johdanto.{lang}.md"
        (target / name).write_text(LESSON[lang].replace("{version}", version), encoding="utf-8")
    (target / "quiz.yaml").write_text(QUIZ_YAML.format(**{k: _local(v, langs, 10 if k in ("right", "wrong", "right_fb", "wrong_fb") else 6) for k, v in QUIZ_TEXTS.items()}), encoding="utf-8")
    course.setdefault("modules", []).append(folder)
    with course_file.open("w", encoding="utf-8") as fh:
        yaml.dump(course, fh)
    return target
