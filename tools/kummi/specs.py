"""The schema of every YAML file kind in a course. JSON Schemas in `schemas/` are generated from here."""
from __future__ import annotations

from .i18n import M_
from .schema import ID_PATTERN, LANG_CODES, Bool, Field, Int, ListOf, Obj, Str, Text, Url

ID = Str(pattern=ID_PATTERN, pattern_hint=M_("use lower-case letters, digits and hyphens, e.g. 'tyo-2-0'"))
LANG = Str(enum=LANG_CODES)
STATUS = ("draft", "review", "published")
VERSION = Str(pattern=r"^\d+(\.\d+){0,2}$", pattern_hint=M_("write a version such as 1.0 or 1.2.0 in quotes"))

COURSE = Obj(
    title="kummi course (content/course.yaml)",
    fields=(
        Field("id", ID, True, "course id, lower-case, e.g. tyo-2-0-esihenkilot"),
        Field("title", Text(), True, "course title per language"),
        Field("description", Text(), False, "one or two sentences for the front page"),
        Field("languages", ListOf(LANG, min_items=1), True, "languages the course is published in; fi first"),
        Field("modules", ListOf(Str(pattern=r"^\d\d-[a-z0-9-]+$", pattern_hint=M_("a folder name in modules/, e.g. 01-tyo-2-0")), min_items=1), True, "module folders in order"),
        Field("publisher", Text(), True, "who publishes the course"),
        Field("licence", Str(plain=True), True, "licence of the content, e.g. CC-BY-4.0"),
        Field("version", VERSION, True, "course version"),
        Field("scorm", Obj(fields=(
            Field("versions", ListOf(Str(enum=("1.2", "2004")), min_items=1), False, "SCORM versions to build; 1.2 is the default"),
        )), False, "SCORM packaging settings"),
        Field("site_url", Url(), False, "public address of the course site"),
    ),
)

AGENCIES = Obj(
    title="kummi agencies (content/agencies.yaml)",
    fields=(
        Field("agencies", ListOf(Obj(fields=(
            Field("code", Str(pattern=r"^[A-Za-zÅÄÖåäö0-9-]+$", pattern_hint=M_("an abbreviation such as MML")), True, "abbreviation, e.g. MML"),
            Field("name", Text(), True, "agency name per language"),
            Field("url", Url(), False, "agency web site"),
        ))), True, "agencies that take part in the mentor network"),
    ),
)

MENTORS = Obj(
    title="kummi mentor network (content/mentors.yaml)",
    fields=(
        Field("themes", ListOf(Obj(fields=(
            Field("id", ID, True, "theme id"),
            Field("name", Text(), True, "theme name per language"),
        ))), True, "themes of expertise that mentors can name"),
        Field("mentors", ListOf(Obj(fields=(
            Field("id", ID, True, "mentor id, used in module authors"),
            Field("role", Text(), True, "role or name, e.g. HR-asiantuntija"),
            Field("agency", Str(), True, "agency code from agencies.yaml"),
            Field("themes", ListOf(ID), False, "theme ids"),
            Field("languages", ListOf(LANG), False, "languages the mentor works in"),
            Field("contact", Str(plain=True), False, "a shared mailbox or page (no personal data)"),
            Field("github", Str(pattern=r"^@?[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$", pattern_hint=M_("a GitHub user or @org/team")), False, "GitHub user or team that reviews this mentor's modules"),
        ))), True, "the mentors"),
    ),
)

GLOSSARY = Obj(
    title="kummi glossary (content/glossary.yaml)",
    fields=(
        Field("terms", ListOf(Obj(fields=(
            Field("id", ID, True, "term id, used in links [text](glossary:id)"),
            Field("term", Text(), True, "the term per language"),
            Field("definition", Text(), True, "definition per language"),
        ))), True, "glossary terms"),
    ),
)

MODULE = Obj(
    title="kummi module (modules/NN-id/module.yaml)",
    fields=(
        Field("id", ID, True, "module id, e.g. tyo-2-0"),
        Field("title", Text(), True, "module title per language"),
        Field("summary", Text(), True, "short summary per language"),
        Field("objectives", ListOf(Text(), min_items=1), True, "learning objectives"),
        Field("duration", Int(minimum=1, maximum=600), True, "duration in minutes"),
        Field("audience", Text(), True, "who the module is for"),
        Field("authors", ListOf(ID, min_items=1), True, "mentor ids from content/mentors.yaml"),
        Field("status", Str(enum=STATUS), True, "draft, review or published"),
        Field("pass_mark", Int(), False, "percentage needed to pass the quiz (0-100)"),
        Field("version", VERSION, True, "module version"),
        Field("competence_map", Bool(), False, "true: this module introduces the mentor network; its deck and SCORM package show the competence map"),
    ),
)

_OPTION = Obj(fields=(
    Field("text", Text(), True, "option text"),
    Field("correct", Bool(), False, "true when this option is correct"),
    Field("feedback", Text(), False, "feedback shown when the learner picks this option"),
))

QUIZ = Obj(
    title="kummi quiz (modules/NN-id/quiz.yaml)",
    fields=(
        Field("pass_mark", Int(), False, "percentage needed to pass (0-100); overrides module.yaml"),
        Field("questions", ListOf(Obj(fields=(
            Field("id", ID, True, "question id, unique in the module"),
            Field("type", Str(enum=("single", "multiple", "truefalse")), True, "single, multiple or truefalse"),
            Field("question", Text(), True, "the question per language"),
            Field("options", ListOf(_OPTION), False, "options (single and multiple)"),
            Field("answer", Bool(), False, "the right answer (truefalse)"),
            Field("feedback_true", Text(), False, "feedback when the learner answers 'true' (truefalse)"),
            Field("feedback_false", Text(), False, "feedback when the learner answers 'false' (truefalse)"),
        )), min_items=1), True, "the questions"),
    ),
)

FRONT_MATTER = Obj(
    title="kummi lesson front matter",
    fields=(
        Field("title", Str(plain=True), True, "lesson title"),
        Field("duration", Int(minimum=1, maximum=240), False, "minutes"),
        Field("source_version", Str(pattern=r"^[0-9a-f]{8}$", pattern_hint=M_("copy the 8-character version that kummi check suggests, in quotes")), False, "translations: version of the Finnish lesson this was translated from"),
    ),
)

# file kind -> (schema, schema file name). Used for JSON Schema generation and editor wiring.
FILE_KINDS = {
    "course": (COURSE, "course.schema.json", "content/course.yaml"),
    "agencies": (AGENCIES, "agencies.schema.json", "content/agencies.yaml"),
    "mentors": (MENTORS, "mentors.schema.json", "content/mentors.yaml"),
    "glossary": (GLOSSARY, "glossary.schema.json", "content/glossary.yaml"),
    "module": (MODULE, "module.schema.json", "modules/*/module.yaml"),
    "quiz": (QUIZ, "quiz.schema.json", "modules/*/quiz.yaml"),
}
