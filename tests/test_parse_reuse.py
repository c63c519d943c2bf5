"""Shortcuts in parsing must not change what is found: a reused YAML loader forgets a failed
document, and the spelling mask's quick path only skips texts that no pattern can match."""
from __future__ import annotations

from kummi.diagnostics import Location, Report
from kummi.loader.files import parse_yaml
from kummi.spelling.words import _MASKS, mask


def test_a_failed_yaml_document_leaves_nothing_for_the_next():
    broken = Report()
    assert parse_yaml("a: &nimi arvo\nb: [auki\n", Location("content/eka.yaml"), broken) is None
    assert [d.code for d in broken.items] == ["KM002"]
    # The alias refers to an anchor of the failed document: undefined here.
    report = Report()
    assert parse_yaml("c: *nimi\n", Location("content/toka.yaml"), report) is None
    assert [d.code for d in report.items] == ["KM002"]
    ok = Report()
    doc = parse_yaml("\ntitle: Otsikko\nduration: 8\n", Location("modules/m/01-a.md"), ok)
    assert not ok.items and dict(doc) == {"title": "Otsikko", "duration": 8}
    assert doc.lc.data == {"title": [1, 0, 1, 7], "duration": [2, 0, 2, 10]}


def test_mask_quick_path_skips_only_texts_without_markup():
    texts = [
        "Kysy HR:ltä ja EU:n ohjeista, miten työ järjestetään.",  # colons: prose
        "Lue lisää osoitteesta https://www.valtiokonttori.fi/tyo-2-0 tai kysy.",
        "Katso www.eoppiva.fi ja kirjoita kummi@example.fi.",
        "Linkki [kummeihin](02-kummit.md) ja `koodi` sekä <b>lihava</b> &amp; {#ankkuri}",
        "Kenoviiva \\* ei ole korostus, eikä [^1] viite.",
        "ftp://palvelin.example/hakemisto ja tavallista tekstiä",
    ]
    for text in texts:
        expected = _MASKS.sub(lambda m: "".join("\n" if c == "\n" else " " for c in m.group(0)), text)
        assert mask(text) == expected
    assert mask(texts[0]) == texts[0]
    assert "valtiokonttori" not in mask(texts[1]) and "example" not in mask(texts[2])


def test_modules_read_while_lessons_are_parsed_give_the_same_course_and_report(tmp_path, monkeypatch):
    """A large course's module.yaml and quiz.yaml files are read while worker processes parse
    its lessons; the course and every diagnostic, in order, are those of a one-process load."""
    from kummi.loader import course as course_loader
    from kummi.loader import load_course
    from test_build import _catalogue

    root = _catalogue(tmp_path / "c", 4, 20)
    module = root / "modules/02-moduuli-2/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    quiz = root / "modules/03-moduuli-3/quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8") + "\n  - [auki\n", encoding="utf-8")
    parallel, parallel_report = load_course(root)
    monkeypatch.setattr(course_loader, "PARALLEL_THRESHOLD", 10**9)
    serial, serial_report = load_course(root)
    assert [str(d) for d in parallel_report.items] == [str(d) for d in serial_report.items]
    codes = {d.code for d in serial_report.items}
    assert "KM002" in codes and any(d.location.path.endswith("02-moduuli-2/module.yaml") for d in serial_report.items)
    assert parallel == serial
