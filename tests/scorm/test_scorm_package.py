"""SCORM packages without a browser: XSD validity, Moodle's import rules, determinism, partial
builds, target diagnostics and the learner-facing HTML."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from kummi.diagnostics import Report
from kummi.pipeline import load_and_check
from kummi.targets import BuildOptions
from kummi.targets.scorm import ScormTarget
from kummi.targets.scorm.manifest import self_check

from scorm_helpers import EPOCH, build_course

NS12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
NS04 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3"}
MODULES, LANGS, VERSIONS = ("perusteet", "verkostot"), ("fi", "sv", "en"), ("scorm12", "scorm2004")


# ------------------------------------------------------------------ schemas


@pytest.fixture(scope="module")
def schema12(xsd_dir: Path):
    bundled = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"

    def mapper(url: str) -> str:  # ims_xml.xsd binds the default namespace to XML's: use a sane xml.xsd
        return bundled.as_uri() if url.endswith("ims_xml.xsd") else url

    return xmlschema.XMLSchema(
        str(xsd_dir / "scorm12edition" / "imscp_rootv1p1p2.xsd"),
        uri_mapper=mapper,
        allow="local",
        locations=[("http://www.adlnet.org/xsd/adlcp_rootv1p2", str(xsd_dir / "scorm12edition" / "adlcp_rootv1p2.xsd"))],
    )


@pytest.fixture(scope="module")
def schema2004(xsd_dir: Path):
    d = xsd_dir / "scorm20044thedition"  # its imscp_v1p1.xsd imports the xml.xsd beside it, not the W3C URL
    return xmlschema.XMLSchema(
        str(d / "imscp_v1p1.xsd"),
        allow="local",
        locations=[
            ("http://www.adlnet.org/xsd/adlcp_v1p3", str(d / "adlcp_v1p3.xsd")),
            ("http://www.adlnet.org/xsd/adlseq_v1p3", str(d / "adlseq_v1p3.xsd")),
            ("http://www.adlnet.org/xsd/adlnav_v1p3", str(d / "adlnav_v1p3.xsd")),
            ("http://www.imsglobal.org/xsd/imsss", str(d / "imsss_v1p0.xsd")),
        ],
    )


def manifest_of(zpath: Path) -> str:
    with zipfile.ZipFile(zpath) as zf:
        return zf.read("imsmanifest.xml").decode("utf-8")


def test_every_module_language_and_version_is_built(built: Path):
    names = sorted(p.name for p in built.glob("*.zip"))
    assert names == sorted(f"{m}.{l}.{v}.zip" for m in MODULES for l in LANGS for v in VERSIONS)


@pytest.mark.parametrize("module", MODULES)
def test_manifests_are_valid_against_the_adl_schemas(built: Path, schema12, schema2004, module):
    for lang in LANGS:
        schema12.validate(manifest_of(built / f"{module}.{lang}.scorm12.zip"))
        schema2004.validate(manifest_of(built / f"{module}.{lang}.scorm2004.zip"))


def test_the_schemas_do_reject_a_broken_manifest(built: Path, schema12, schema2004):
    m12 = manifest_of(built / "perusteet.fi.scorm12.zip")
    assert not schema12.is_valid(m12.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="page"'))
    assert not schema12.is_valid(m12.replace('identifier="ITEM-perusteet"', 'identifier="ITEM perusteet"'))
    m04 = manifest_of(built / "perusteet.fi.scorm2004.zip")
    assert not schema2004.is_valid(m04.replace('choice="true"', 'choice="maybe"'))


# ------------------------------------------------------------------ Moodle's import rules


def _zip_has_zip64(path: Path) -> bool:
    data = path.read_bytes()
    return b"PK\x06\x06" in data or b"PK\x06\x07" in data


def moodle_import_problems(zpath: Path) -> list[str]:
    """What mod/scorm would refuse or silently degrade (research/scorm-and-moodle.md §2, §4)."""
    problems = []
    with zipfile.ZipFile(zpath) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if "imsmanifest.xml" not in names:
            return ["no imsmanifest.xml at the zip root"]
        if names[0] != "imsmanifest.xml":
            problems.append("imsmanifest.xml is not the first member")
        for info in infos:
            if not re.fullmatch(r"[a-z0-9._/-]+", info.filename) or info.filename.startswith("/") or ".." in info.filename:
                problems.append(f"non-ASCII-safe name {info.filename!r}")
            if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
                problems.append("member needs ZIP64")
        raw = zf.read("imsmanifest.xml")
    if _zip_has_zip64(zpath):
        problems.append("ZIP64 records present")
    root = etree.fromstring(raw)
    version = "1.2" if root.tag == f"{{{NS12['cp']}}}manifest" else "2004"
    ns = NS12 if version == "1.2" else NS04
    text = raw.decode("utf-8")
    # Moodle's parser is not namespace-aware: literal prefixes only.
    for prefix in re.findall(r"<(?:/)?([A-Za-z0-9_]+):", text):
        if prefix not in ("adlcp", "imsss", "adlnav", "adlseq"):
            problems.append(f"unknown element prefix {prefix}:")
    sv = root.find("cp:metadata/cp:schemaversion", ns)
    want = "1.2" if version == "1.2" else "2004 4th Edition"
    if sv is None or sv.text != want:
        problems.append(f"schemaversion is not exactly {want!r}")
    orgs = root.find("cp:organizations", ns)
    default = orgs.get("default") if orgs is not None else None
    org = next((o for o in root.iterfind("cp:organizations/cp:organization", ns) if o.get("identifier") == default), None)
    if org is None:
        problems.append("default organization missing")
    resources = {r.get("identifier"): r for r in root.iterfind("cp:resources/cp:resource", ns)}
    attr = f"{{{ns['adlcp']}}}" + ("scormtype" if version == "1.2" else "scormType")
    launchable = []
    for item in root.iter(f"{{{ns['cp']}}}item"):
        ref = item.get("identifierref")
        if ref is not None and ref not in resources:
            problems.append(f"identifierref {ref} does not resolve")
        elif ref is not None and resources[ref].get(attr) == "sco" and resources[ref].get("href"):
            launchable.append(item)
    if org is None or not any(org in i.iterancestors() for i in launchable):
        problems.append("no launchable SCO in the default organization")
    listed = {f.get("href") for f in root.iter(f"{{{ns['cp']}}}file")}
    for href in listed | {r.get("href") for r in resources.values() if r.get("href")}:
        if href not in names:
            problems.append(f"listed file {href} missing")
    for name in set(names) - {"imsmanifest.xml"} - listed:
        problems.append(f"packaged file {name} not listed")
    for el in root.iter():
        ident = el.get("identifier")
        if ident is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9._-]*", ident):
            problems.append(f"identifier {ident!r} is not an NCName")
    return problems


def test_packages_pass_moodles_import_rules(built: Path):
    for zpath in sorted(built.glob("*.zip")):
        assert moodle_import_problems(zpath) == [], zpath.name


def test_the_import_rules_catch_problems(built: Path, tmp_path: Path):
    src = built / "perusteet.fi.scorm12.zip"
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    bad = dict(members)
    bad["imsmanifest.xml"] = members["imsmanifest.xml"].replace(b'identifierref="RES-perusteet"', b'identifierref="RES-nope"')
    bad["Kuva ä.png"] = b"x"
    dest = tmp_path / "bad.zip"
    with zipfile.ZipFile(dest, "w") as zf:
        for n, data in bad.items():
            zf.writestr(n, data)
    problems = " | ".join(moodle_import_problems(dest))
    assert "does not resolve" in problems and "non-ASCII-safe" in problems and "not listed" in problems


def test_manifest_contents(built: Path):
    m12 = manifest_of(built / "perusteet.sv.scorm12.zip")
    assert "<schemaversion>1.2</schemaversion>" in m12
    assert 'adlcp:scormtype="sco"' in m12 and "<adlcp:masteryscore>60</adlcp:masteryscore>" in m12
    assert 'identifier="kummi.testikurssi.perusteet"' in m12 and 'identifier="ITEM-perusteet"' in m12
    assert "<title>Grunderna</title>" in m12
    fi = manifest_of(built / "perusteet.fi.scorm12.zip")
    assert "Perusteet – ÅÄÖ &amp; " in fi and " &lt; 5</title>" in fi  # autoescaped, UTF-8 kept in titles
    titles = etree.fromstring(fi.encode("utf-8")).xpath("//*[local-name()='title']/text()")
    assert 'Perusteet – ÅÄÖ & "testi" < 5' in titles
    m04 = manifest_of(built / "perusteet.fi.scorm2004.zip")
    assert "<schemaversion>2004 4th Edition</schemaversion>" in m04 and 'adlcp:scormType="sco"' in m04
    assert "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>" in m04
    # no quiz: no mastery score
    assert "masteryscore" not in manifest_of(built / "verkostot.fi.scorm12.zip")
    assert "minNormalizedMeasure" not in manifest_of(built / "verkostot.fi.scorm2004.zip")


def test_identifiers_are_stable_across_languages_and_versions(built: Path):
    def ids(path):
        root = etree.fromstring(manifest_of(path).encode())
        return sorted(el.get("identifier") for el in root.iter() if el.get("identifier"))

    base = ids(built / "perusteet.fi.scorm12.zip")
    for lang in LANGS:
        for v in VERSIONS:
            assert ids(built / f"perusteet.{lang}.{v}.zip") == base


def test_self_check_reports_semantic_problems(built: Path):
    text = manifest_of(built / "perusteet.fi.scorm12.zip")
    with zipfile.ZipFile(built / "perusteet.fi.scorm12.zip") as zf:
        members = set(zf.namelist())
    assert self_check(text, "1.2", members) == []
    assert any("missing resource" in str(p) for p in self_check(text.replace('identifierref="RES-perusteet"', 'identifierref="X"'), "1.2", members))
    assert any("schemaversion" in str(p) for p in self_check(text.replace(">1.2</schemaversion>", "> 1.2</schemaversion>"), "1.2", members))
    assert any("masteryscore" in str(p) for p in self_check(text.replace(">60<", ">150<"), "1.2", members))
    assert any("not in the package" in str(p) for p in self_check(text, "1.2", members - {"kummi-scorm.js"}))


# ------------------------------------------------------------------ bytes and builds


def test_zip_layout_is_deterministic_and_plain(built: Path, fixture_course: Path, tmp_path: Path):
    build_course(fixture_course, tmp_path, scorm_versions=("1.2", "2004"))
    for zpath in sorted(built.glob("*.zip")):
        again = tmp_path / "scorm" / zpath.name
        assert again.read_bytes() == zpath.read_bytes(), zpath.name
        with zipfile.ZipFile(zpath) as zf:
            infos = zf.infolist()
            assert infos[0].filename == "imsmanifest.xml"
            assert all(i.date_time == infos[0].date_time for i in infos)
            assert zf.testzip() is None
        assert not _zip_has_zip64(zpath)


def test_partial_build_keeps_the_other_packages(fixture_course: Path, tmp_path: Path):
    build_course(fixture_course, tmp_path, scorm_versions=("1.2",))
    before = {p.name: p.read_bytes() for p in (tmp_path / "scorm").glob("*.zip")}
    assert len(before) == 6
    written, _ = build_course(fixture_course, tmp_path, modules=("verkostot",), languages=("sv",), scorm_versions=("2004",))
    assert [p.name for p in written] == ["verkostot.sv.scorm2004.zip"]
    after = {p.name: p.read_bytes() for p in (tmp_path / "scorm").glob("*.zip")}
    assert set(after) == set(before) | {"verkostot.sv.scorm2004.zip"}
    assert all(after[n] == before[n] for n in before)


def test_default_version_is_scorm12(fixture_course: Path, tmp_path: Path):
    course, _ = load_and_check(fixture_course)
    course = type(course)(**{**{f: getattr(course, f) for f in course.__dataclass_fields__}, "scorm_versions": ()})
    ScormTarget().build(course, BuildOptions(out_dir=tmp_path, epoch=EPOCH, modules=("verkostot",), languages=("fi",)))
    assert [p.name for p in (tmp_path / "scorm").glob("*.zip")] == ["verkostot.fi.scorm12.zip"]


# ------------------------------------------------------------------ diagnostics


def _course(fixture_course: Path):
    course, report = load_and_check(fixture_course)
    assert not report.has_errors()
    return course


def _replace(obj, **changes):
    return type(obj)(**{**{f: getattr(obj, f) for f in obj.__dataclass_fields__}, **changes})


def test_check_is_clean_for_a_good_course(fixture_course: Path):
    report = Report()
    ScormTarget().check(_course(fixture_course), report)
    assert report.items == []


def test_check_reports_ids_that_cannot_become_ncnames(fixture_course: Path):
    course = _course(fixture_course)
    bad_module = _replace(course.modules[1], id="verkostot ja ä")
    course = _replace(course, id="kurssi/1", modules=(course.modules[0], bad_module))
    report = Report()
    ScormTarget().check(course, report)
    codes = [(d.code, d.location.path) for d in report.errors]
    assert ("KM711", "content/course.yaml") in codes
    assert ("KM711", "modules/02-verkostot/module.yaml") in codes


def test_check_warns_when_suspend_data_could_exceed_4096(fixture_course: Path):
    course = _course(fixture_course)
    module = course.modules[0]
    q = module.quiz.questions[1]
    many = tuple(_replace(q, id=f"kysymys-{i:03d}-" + "x" * 40) for i in range(80))
    course = _replace(course, modules=(_replace(module, quiz=_replace(module.quiz, questions=many)), course.modules[1]))
    report = Report()
    ScormTarget().check(course, report)
    assert [d.code for d in report.warnings] == ["KM715"]
    assert not report.errors


def test_check_reports_too_long_question_ids(fixture_course: Path):
    course = _course(fixture_course)
    module = course.modules[0]
    long_q = _replace(module.quiz.questions[0], id="k" * 240)
    course = _replace(course, modules=(_replace(module, quiz=_replace(module.quiz, questions=(long_q,))), course.modules[1]))
    report = Report()
    ScormTarget().check(course, report)
    assert "KM713" in [d.code for d in report.errors]


# ------------------------------------------------------------------ pages


def _index(built: Path, name: str) -> str:
    with zipfile.ZipFile(built / name) as zf:
        return zf.read("index.html").decode("utf-8")


def test_pages_are_learner_facing_and_localised(built: Path):
    for lang in LANGS:
        html = _index(built, f"perusteet.{lang}.scorm12.zip")
        assert f'<html lang="{lang}"' in html
        assert "SALAINEN" not in html and "Kouluttajalle" not in html  # trainer notes never ship
        assert "<script>" not in html.replace('<script type="application/json" id="kummi-data">', "")
        assert 'class="reflection"' in html
        assert 'href="#glossary--ilmiolahtoisyys"' in html and 'id="glossary--ilmiolahtoisyys"' in html
    sv = _index(built, "perusteet.sv.scorm12.zip")
    assert "Kontrollera svaret" in sv and "Ordlista" in sv
    # the lesson without a Swedish translation falls back to Finnish and says so
    assert re.search(r'<section[^>]*id="page-02-kaavio"[^>]*lang="fi"', sv)
    en = _index(built, "perusteet.en.scorm2004.zip")
    assert "Check answer" in en and "Glossary" in en
    fi = _index(built, "perusteet.fi.scorm12.zip")
    assert 'href="#02-kaavio--kaavio"' in fi  # a link to another lesson stays inside the package
    assert 'href="https://example.org/tyo20"' in fi and 'target="_blank"' in fi
    # a linked course file is packaged under an ASCII name
    link = re.search(r'<a href="(files/tarkistuslista-[0-9a-f]{8}\.txt)"', fi)
    assert link
    with zipfile.ZipFile(built / "perusteet.fi.scorm12.zip") as zf:
        assert zf.read(link.group(1)).startswith(b"Tarkistuslista")


def test_images_are_copied_with_ascii_names(built: Path):
    with zipfile.ZipFile(built / "perusteet.fi.scorm12.zip") as zf:
        names = zf.namelist()
        media = [n for n in names if n.startswith("media/")]
        assert len(media) == 1 and re.fullmatch(r"media/kaavio-ao-[0-9a-f]{8}\.png", media[0])
        assert zf.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="{media[0]}"' in zf.read("index.html").decode()


def test_no_remote_references_in_the_package(built: Path):
    for zpath in built.glob("*.zip"):
        with zipfile.ZipFile(zpath) as zf:
            for name in zf.namelist():
                if name.endswith((".html", ".css", ".js")):
                    text = zf.read(name).decode("utf-8")
                    for m in re.finditer(r'(?:src|href)="([^"]+)"', text):
                        url = m.group(1)
                        if url.startswith(("http:", "https:")):
                            # only learner-clicked links may leave the package, never loaded resources
                            assert re.search(r'<a [^>]*href="' + re.escape(url), text), (zpath.name, url)
                    assert "url(http" not in text and "@import" not in text


def test_every_in_page_link_has_a_target(built: Path):
    for zpath in sorted(built.glob("*.zip")):
        html = _index(built, zpath.name)
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for target in re.findall(r'href="#([^"]+)"', html):
            assert target in ids, (zpath.name, target)


def test_the_repository_course_builds_valid_packages(repo_root: Path, tmp_path: Path, schema12, schema2004):
    """The real course in this repository: every module packages."""
    course, report = load_and_check(repo_root, [ScormTarget()])
    assert course is not None and not report.has_errors(), [d.format_text() for d in report.errors]
    ScormTarget().build(course, BuildOptions(out_dir=tmp_path, epoch=EPOCH, scorm_versions=("1.2", "2004")))
    zips = sorted((tmp_path / "scorm").glob("*.zip"))
    assert len(zips) == 2 * len(course.modules) * len(course.languages)
    for zpath in zips:
        assert moodle_import_problems(zpath) == [], zpath.name
        schema = schema12 if zpath.name.endswith(".scorm12.zip") else schema2004
        schema.validate(manifest_of(zpath))
        html = _index(tmp_path / "scorm", zpath.name)
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        assert all(t in ids for t in re.findall(r'href="#([^"]+)"', html)), zpath.name


# ------------------------------------------------------------------ no answers in plain text


def _kummi_data(html: str) -> dict:
    import json

    found = re.search(r'<script type="application/json" id="kummi-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def _unseal(salt: str, qid: str, oid: str, sealed: str) -> str:
    """views.seal is an XOR with its keystream: sealing the sealed bytes again opens them."""
    import base64

    from kummi import views

    raw = base64.b64decode(sealed)
    stream = base64.b64decode(views.seal(salt, qid, oid, "\0" * len(raw)))
    return bytes(a ^ b for a, b in zip(raw, stream)).decode("utf-8")


def test_packages_hold_no_answers_or_feedback_in_plain_text(built: Path, fixture_course: Path):
    """A learner who unzips a package finds neither which option is right nor the feedback texts
    (a feedback often starts with "Right!"): only the answer digest and sealed verdicts/feedback."""
    from kummi import learnertext, views

    course = _course(fixture_course)
    module = course.module("perusteet")
    salt = views.answer_salt(course, module)
    for lang in LANGS:
        player_words = set(learnertext.table(lang).values())
        feedback = {
            (q.id, o.id): o.feedback.get(lang)
            for q in module.quiz.questions for o in q.options if o.feedback.get(lang)
        }
        # Texts that are also a word of the player ("Oikein!" = common.quiz.correct) prove nothing.
        secrets = {k: v for k, v in feedback.items() if v not in player_words}
        assert len(secrets) >= 4, lang
        for version in VERSIONS:
            name = f"perusteet.{lang}.{version}.zip"
            with zipfile.ZipFile(built / name) as zf:
                files = {n: zf.read(n) for n in zf.namelist()}
            assert "answerkey.js" in files, name
            for fname, data in files.items():
                for (qid, oid), text in secrets.items():
                    for form in {text, text.replace("–", "&ndash;"), text.replace("–", "\\u2013")}:
                        assert form.encode("utf-8") not in data, (name, fname, qid, oid)
            html = files["index.html"].decode("utf-8")
            assert '<script src="answerkey.js"></script>' in html
            assert "is-correct" not in html and "is-wrong" not in html and " checked" not in html
            assert re.findall(r'<p class="feedback"[^>]*>([^<]*)</p>', html) == [""] * len(feedback)
            data = _kummi_data(html)
            assert data["salt"] == salt
            for q, model_q in zip(data["questions"], module.quiz.questions):
                assert set(q) == {"id", "type", "cmiType", "options", "key", "verdicts", "feedback"}, name
                right = sorted(o.id for o in model_q.options if o.correct)
                assert q["key"] == views.answer_key(salt, q["id"], right)
                assert q["key"] != ",".join(right) and len(q["key"]) == 16
                for oid, verdict in q["verdicts"].items():
                    assert verdict not in ("0", "1", "true", "false")
                    correct = next(o.correct for o in model_q.options if o.id == oid)
                    assert _unseal(salt, q["id"], oid, verdict) == ("1" if correct else "0")
                for oid, sealed in q["feedback"].items():
                    opened = _unseal(salt, q["id"], oid + "/feedback", sealed)
                    assert opened == feedback[(q["id"], oid)]
