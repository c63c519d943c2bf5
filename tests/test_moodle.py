"""The Moodle question-bank export (target `moodle`): Moodle XML that Moodle's importer reads.

The expected files below are written by hand from what `question/format/xml/format.php` and
`question/format.php` (moodle/moodle) read: a `category` pseudo-question with a `$course$/top/…`
path, `multichoice` with `<single>` and `<answer fraction>` percentages from Moodle's grade list,
`truefalse` with answers whose text is literally `true`/`false`, texts as escaped HTML.
"""
from __future__ import annotations

import shutil
from fractions import Fraction

from lxml import etree

from test_check import kummi
from testpaths import FIXTURES, REPO

EPOCH = {"SOURCE_DATE_EPOCH": "1704067200"}

GOOD_FI = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category>
      <text>$course$/top/Testikurssi/Perusteet</text>
    </category>
    <info format="html">
      <text>&lt;p&gt;Lyhyesti.&lt;/p&gt;</text>
    </info>
    <idnumber>kummi.testikurssi.perusteet.fi</idnumber>
  </question>
  <question type="multichoice">
    <name>
      <text>q1</text>
    </name>
    <questiontext format="html">
      <text>&lt;p&gt;Kumpi?&lt;/p&gt;</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <idnumber>perusteet.q1.fi</idnumber>
    <single>true</single>
    <shuffleanswers>false</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>1</showstandardinstruction>
    <correctfeedback format="html">
      <text></text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text></text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text></text>
    </incorrectfeedback>
    <answer fraction="100" format="html">
      <text>Tämä</text>
      <feedback format="html">
        <text>Oikein.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Tuo</text>
      <feedback format="html">
        <text>Väärin.</text>
      </feedback>
    </answer>
  </question>
</quiz>
"""

# A richer quiz: partial credit, true/false, author text that looks like markup, a missing Swedish
# translation, links of every kind and an image from the module's media folder.
RICH_QUIZ = """\
questions:
  - id: monta
    type: multiple
    question: {fi: "Mitkä ovat < 5 & totta?", sv: "Vilka är < 5 & sanna?"}
    options:
      - {text: {fi: "*Yksi*", sv: "*Ett*"}, correct: true, feedback: {fi: "Kyllä.", sv: "Ja."}}
      - {text: {fi: "Kaksi", sv: "Två"}, correct: true, feedback: {fi: "Kyllä.", sv: "Ja."}}
      - {text: {fi: "Kolme", sv: "Tre"}, correct: true, feedback: {fi: "Kyllä.", sv: "Ja."}}
      - {text: {fi: "x < 1 && y > 2", sv: "x < 1 && y > 2"}, feedback: {fi: "Ei.", sv: "Nej."}}
  - id: vaite
    type: truefalse
    question: {fi: "Väite ]]> on [tosi](https://example.org/a?b=1&c=2).", sv: "Påståendet ]]> är [sant](https://example.org/a?b=1&c=2)."}
    answer: false
    feedback_true: {fi: "Ei, katso [oppitunti](01-alku.md).", sv: "Nej, se [lektionen](01-alku.md)."}
    feedback_false: {fi: "Oikein."}
  - id: kuva
    type: single
    question: {fi: "Mikä kuvassa on? ![Punainen neliö](media/kuva.png)", sv: "Vad finns i bilden? ![En röd kvadrat](media/kuva.png)"}
    options:
      - {text: {fi: "Neliö", sv: "Kvadrat"}, correct: true}
      - {text: {fi: "Ympyrä", sv: "Cirkel"}}
"""

RICH_SV_TEMPLATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category>
      <text>$course$/top/Testkurs/Grunder</text>
    </category>
    <info format="html">
      <text>&lt;p&gt;Kort.&lt;/p&gt;</text>
    </info>
    <idnumber>kummi.testikurssi.perusteet.sv</idnumber>
  </question>
  <question type="multichoice">
    <name>
      <text>monta</text>
    </name>
    <questiontext format="html">
      <text>&lt;p&gt;Vilka är &amp;lt; 5 &amp;amp; sanna?&lt;/p&gt;</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <idnumber>perusteet.monta.sv</idnumber>
    <single>false</single>
    <shuffleanswers>false</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>1</showstandardinstruction>
    <correctfeedback format="html">
      <text></text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text></text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text></text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="33.33333" format="html">
      <text>&lt;em&gt;Ett&lt;/em&gt;</text>
      <feedback format="html">
        <text>Ja.</text>
      </feedback>
    </answer>
    <answer fraction="33.33333" format="html">
      <text>Två</text>
      <feedback format="html">
        <text>Ja.</text>
      </feedback>
    </answer>
    <answer fraction="33.33333" format="html">
      <text>Tre</text>
      <feedback format="html">
        <text>Ja.</text>
      </feedback>
    </answer>
    <answer fraction="-100" format="html">
      <text>x &amp;lt; 1 &amp;amp;&amp;amp; y &amp;gt; 2</text>
      <feedback format="html">
        <text>Nej.</text>
      </feedback>
    </answer>
  </question>
  <question type="truefalse">
    <name>
      <text>vaite</text>
    </name>
    <questiontext format="html">
      <text>&lt;p&gt;Påståendet ]]&amp;gt; är &lt;a href=&#34;https://example.org/a?b=1&amp;amp;c=2&#34; rel=&#34;noopener noreferrer&#34;&gt;sant&lt;/a&gt;.&lt;/p&gt;</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>1</penalty>
    <idnumber>perusteet.vaite.sv</idnumber>
    <answer fraction="0" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text>Nej, se lektionen.</text>
      </feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text>&lt;span lang=&#34;fi&#34;&gt;Oikein.&lt;/span&gt;</text>
      </feedback>
    </answer>
  </question>
  <question type="multichoice">
    <name>
      <text>kuva</text>
    </name>
    <questiontext format="html">
      <text>&lt;p&gt;Vad finns i bilden? &lt;img src=&#34;@@PLUGINFILE@@/kuva-{hash}.png&#34; alt=&#34;En röd kvadrat&#34;&gt;&lt;/p&gt;</text>
      <file name="kuva-{hash}.png" path="/" encoding="base64">{data}</file>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <idnumber>perusteet.kuva.sv</idnumber>
    <single>true</single>
    <shuffleanswers>false</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>1</showstandardinstruction>
    <correctfeedback format="html">
      <text></text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text></text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text></text>
    </incorrectfeedback>
    <answer fraction="100" format="html">
      <text>Kvadrat</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Cirkel</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
  </question>
</quiz>
"""

# Moodle's grade options (question/engine/bank.php ensure_fraction_options_initialised), as fractions.
MOODLE_GRADES = [1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0]
MOODLE_GRADES += [-g for g in MOODLE_GRADES if g]


def test_good_fixture_matches_the_hand_written_moodle_xml(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    res = kummi("build", "--target", "moodle", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    out = root / "build" / "moodle"
    assert sorted(p.name for p in out.iterdir()) == ["perusteet.fi.questions.xml", "perusteet.sv.questions.xml"]
    assert (out / "perusteet.fi.questions.xml").read_text(encoding="utf-8") == GOOD_FI
    swedish = (GOOD_FI.replace("Testikurssi/Perusteet", "Testkurs/Grunder").replace("Lyhyesti.", "Kort.")
               .replace(".fi<", ".sv<").replace("Kumpi?", "Vilken?").replace("Tämä", "Den här").replace("Tuo", "Den där")
               .replace("Oikein.", "Rätt.").replace("Väärin.", "Fel."))
    assert (out / "perusteet.sv.questions.xml").read_text(encoding="utf-8") == swedish


def test_partial_credit_true_false_escaping_fallback_and_images(tmp_path):
    import base64
    import hashlib

    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    (root / "modules/01-perusteet/quiz.yaml").write_text(RICH_QUIZ, encoding="utf-8")
    res = kummi("build", "--target", "moodle", "--lang", "sv", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    # The lesson link in a feedback cannot go to Moodle: the build says so (and still builds).
    assert "warning KM722 question 'vaite': '01-alku.md' cannot go into the Moodle question export" in res.stdout
    image = (root / "modules/01-perusteet/media/kuva.png").read_bytes()
    expected = RICH_SV_TEMPLATE.format(hash=hashlib.sha256(image).hexdigest()[:8], data=base64.b64encode(image).decode("ascii"))
    written = (root / "build/moodle/perusteet.sv.questions.xml").read_text(encoding="utf-8")
    assert written == expected
    # Parsed back, the author's text is text: the HTML is a string with the author's < and & escaped.
    tree = etree.fromstring(written.encode("utf-8"))
    assert tree.xpath("string(//question[@type='multichoice'][1]/answer[4]/text)") == "x &lt; 1 &amp;&amp; y &gt; 2"


def test_every_quiz_of_the_repository_course_imports(tmp_path):
    from kummi.loader import load_course

    res = kummi("build", "--target", "moodle", "--out", str(tmp_path / "out"), cwd=REPO, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    course, _ = load_course(REPO)
    quizzes = [m for m in course.modules if m.quiz and m.quiz.questions]
    assert len(quizzes) == 5
    files = sorted((tmp_path / "out" / "moodle").iterdir())
    assert [f.name for f in files] == sorted(f"{m.id}.{lang}.questions.xml" for m in quizzes for lang in course.languages)
    for module in quizzes:
        for lang in course.languages:
            tree = etree.parse(str(tmp_path / "out" / "moodle" / f"{module.id}.{lang}.questions.xml")).getroot()
            assert tree.tag == "quiz"
            category, *questions = tree.findall("question")
            assert category.get("type") == "category"
            path = category.findtext("category/text")
            titles = [course.title.get(lang), module.title.get(lang)]
            assert path == "$course$/top/" + "/".join(t.replace("/", "//") for t in titles)
            assert category.findtext("idnumber") == f"kummi.{course.id}.{module.id}.{lang}"
            assert len(questions) == len(module.quiz.questions)
            names = [q.findtext("name/text") for q in questions]
            assert names == [q.id for q in module.quiz.questions] and len(set(names)) == len(names)
            idnumbers = [q.findtext("idnumber") for q in questions]
            assert len(set(idnumbers)) == len(idnumbers) and all(len(i) <= 100 for i in idnumbers)
            for source, xml in zip(module.quiz.questions, questions):
                answers = xml.findall("answer")
                assert len(answers) == len(source.options)
                fractions = [float(a.get("fraction")) / 100 for a in answers]
                for f in fractions:
                    assert any(abs(f - g) < 0.00001 for g in MOODLE_GRADES), f
                assert all(a.findtext("feedback/text").strip() for a in answers), f"{module.id}/{source.id}: feedback missing"
                assert xml.findtext("questiontext/text").startswith("<p>")
                if source.type == "truefalse":
                    assert xml.get("type") == "truefalse"
                    assert [a.findtext("text") for a in answers] == ["true", "false"]
                    right = "true" if source.options[0].correct else "false"
                    assert [a.findtext("text") for a in answers if a.get("fraction") == "100"] == [right]
                    continue
                assert xml.get("type") == "multichoice"
                assert xml.findtext("single") == ("true" if source.type == "single" else "false")
                if source.type == "single":
                    assert sorted(fractions) == [0.0] * (len(fractions) - 1) + [1.0]
                else:
                    positive = sum(Fraction(a.get("fraction")) for a in answers if float(a.get("fraction")) > 0)
                    assert round(float(positive), 2) == 100  # Moodle: positive grades add up to 100 %
                    assert round(sum(fractions), 5) <= 0  # ticking every box scores nothing
                    for option, f in zip(source.options, fractions):
                        assert (f > 0) == option.correct


def test_moodle_output_is_deterministic(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", "--target", "moodle", cwd=root).returncode == 0
    first = {p.name: p.read_bytes() for p in (root / "build/moodle").iterdir()}
    assert kummi("build", "--target", "moodle", cwd=root).returncode == 0
    assert {p.name: p.read_bytes() for p in (root / "build/moodle").iterdir()} == first


def test_idnumbers_that_moodle_cannot_store_are_errors(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    quiz = root / "modules/01-perusteet/quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("id: q1", "id: " + "q" * 95), encoding="utf-8")
    res = kummi("check", str(root))
    assert res.returncode == 1
    assert f"modules/01-perusteet/quiz.yaml:2:5: error KM721 question '{'q' * 95}': its Moodle idnumber would be longer than 100 characters" in res.stdout


def test_category_path_escapes_slashes():
    from kummi.targets.moodle.questions import category_path, percent

    assert category_path("A/B", "/C/") == "$course$/top/A//B/ //C// "
    assert [percent(Fraction(1, n)) for n in (1, 3, 6, 7, 9)] == ["100", "33.33333", "16.66667", "14.28571", "11.11111"]
    assert percent(-Fraction(1, 3)) == "-33.33333" and percent(Fraction(0)) == "0"
