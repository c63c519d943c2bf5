"""imsmanifest.xml for one module package: rendered from a Jinja2 template (literal `adlcp:` prefixes,
IMS CP in the default namespace, as Moodle's non-namespace-aware parser expects), then re-parsed and
checked against Moodle's import rules."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from lxml import etree

from ... import model as m
from ...i18n import M_, Msg
from .ids import is_ascii_path, is_ncname, package_ids

TEMPLATES = Path(__file__).resolve().parent / "templates"
MANIFEST = "imsmanifest.xml"
LAUNCH = "index.html"
SCHEMAVERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
CP_NS = {"1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "2004": "http://www.imsglobal.org/xsd/imscp_v1p1"}
ADLCP_NS = {"1.2": "http://www.adlnet.org/xsd/adlcp_rootv1p2", "2004": "http://www.adlnet.org/xsd/adlcp_v1p3"}
SCORMTYPE = {"1.2": "scormtype", "2004": "scormType"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def mastery_score(module: m.Module) -> int | None:
    """adlcp:masteryscore: the module's pass mark, only when the module has a quiz."""
    if module.quiz is None or not module.quiz.questions:
        return None
    return max(0, min(100, int(module.pass_mark)))


def render_manifest(version: str, course: m.Course, module: m.Module, lang: str, files: list[str]) -> str:
    template = environment().get_template("imsmanifest12.xml.j2" if version == "1.2" else "imsmanifest2004.xml.j2")
    score = mastery_score(module)
    return template.render(
        ids=package_ids(course.id, module.id),
        version=module.version or "1.0",
        course_title=course.title.get(lang),
        module_title=module.title.get(lang) or module.id,
        mastery_score=score,
        min_normalized=_decimal(score / 100) if score is not None else "",
        launch=LAUNCH,
        files=sorted(f for f in files if f != MANIFEST),
    )


def _decimal(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def self_check(xml: str, version: str, members: set[str]) -> list[Msg]:
    """Problems Moodle would have with this manifest (empty list = fine). Mirrors the import rules in
    research/scorm-and-moodle.md §2 and §4; the tests apply the same rules to the zip."""
    problems: list[Msg] = []
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        return [M_("manifest is not well-formed XML: {error}", error=str(exc))]
    cp, adlcp = CP_NS[version], ADLCP_NS[version]
    q = lambda tag: f"{{{cp}}}{tag}"  # noqa: E731
    if root.tag != q("manifest"):
        problems.append(M_("root element is not an IMS CP <manifest> in the default namespace"))
    for prefix, ns in (root.nsmap or {}).items():
        if prefix not in (None, "adlcp", "adlseq", "adlnav", "imsss", "xsi"):
            problems.append(M_("unexpected namespace prefix '{prefix}' ({namespace})", prefix=prefix, namespace=ns))
    if root.nsmap.get("adlcp") != adlcp:
        problems.append(M_("the adlcp prefix is not bound to the ADL namespace"))
    sv = root.find(f"{q('metadata')}/{q('schemaversion')}")
    if sv is None or sv.text != SCHEMAVERSION[version]:
        problems.append(M_("schemaversion must be exactly '{value}'", value=SCHEMAVERSION[version]))
    ids = [el.get("identifier") for el in root.iter() if el.get("identifier") is not None]
    for value in ids:
        if not is_ncname(value):
            problems.append(M_("identifier '{value}' is not an NCName", value=value))
    if len(ids) != len(set(ids)):
        problems.append(M_("identifiers are not unique"))
    orgs = root.find(q("organizations"))
    default = orgs.get("default") if orgs is not None else None
    org = next((o for o in root.iter(q("organization")) if o.get("identifier") == default), None)
    if org is None:
        problems.append(M_("the default organization does not exist"))
    resources = {r.get("identifier"): r for r in root.iter(q("resource"))}
    launchable = []
    for item in root.iter(q("item")):
        ref = item.get("identifierref")
        if ref is None:
            continue
        res = resources.get(ref)
        if res is None:
            problems.append(M_("item '{item}' points to a missing resource '{resource}'", item=item.get("identifier"), resource=ref))
            continue
        if res.get(f"{{{adlcp}}}{SCORMTYPE[version]}") == "sco" and res.get("href"):
            launchable.append(item)
    if org is not None and not any(org in item.iterancestors() for item in launchable):
        problems.append(M_("the default organization has no launchable SCO item"))
    if version == "1.2" and org is not None:
        for ms in org.iter(f"{{{adlcp}}}masteryscore"):
            if not (ms.text or "").isdigit() or not 0 <= int(ms.text) <= 100:
                problems.append(M_("masteryscore '{value}' is not 0-100", value=ms.text))
    listed = set()
    for res in resources.values():
        href = res.get("href")
        if href and href not in members:
            problems.append(M_("resource href '{href}' is not in the package", href=href))
        for f in res.iter(q("file")):
            listed.add(f.get("href"))
            if f.get("href") not in members:
                problems.append(M_("listed file '{href}' is not in the package", href=f.get("href")))
    for name in members - {MANIFEST}:
        if name not in listed:
            problems.append(M_("packaged file '{name}' is not listed in the manifest", name=name))
        if not is_ascii_path(name):
            problems.append(M_("file name '{name}' is not ASCII-safe", name=name))
    return problems
