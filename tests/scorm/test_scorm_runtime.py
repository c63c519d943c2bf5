"""The packaged runtime in a real Chromium against a real LMS runtime (scorm-again) in a host page:
paging, quiz right and wrong, reload and resume, and the CMI data the LMS side ends up with."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TIME12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME2004 = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$")
CLOCK12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
STAMP2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


class Session:
    """One browser context: the host page (LMS) with the SCO in an iframe or a popup."""

    def __init__(self, browser, base: str, version: str, pkg: str, mastery: int | None = None, popup: bool = False,
                 mode: str | None = None):
        self.base, self.version, self.pkg = base, version, pkg
        self.context = browser.new_context()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page = self.context.new_page()
        self._watch(self.page)
        self.context.on("page", self._watch)
        self.url = f"{base}/host.html?v={version}&pkg={pkg}" + (f"&mastery={mastery}" if mastery is not None else "")
        if mode:
            self.url += f"&mode={mode}"
        self.popup = popup
        if popup:
            self.url += "&popup=1"

    def _watch(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.problems.append(f"pageerror: {exc}"))
        page.on("request", lambda req: self.requests.append(req.url))

    def open(self):
        if self.popup:
            with self.page.expect_popup() as info:
                self.page.goto(self.url)
            self.sco_page = info.value
            self.frame = self.sco_page.main_frame
        else:
            self.page.goto(self.url)
            self.frame = self.page.wait_for_selector("iframe").content_frame()
        self.frame.wait_for_function("window.kummiScorm && kummiScorm.player && kummiScorm.player.current")
        return self.frame

    def reload(self):
        if self.popup:
            self.sco_page.close(run_before_unload=True)
        self.page.goto(f"{self.base}/blank.html")  # leave: the SCO unloads; then relaunch
        return self.open()

    def relaunch(self, mode: str | None = None, entry: str | None = None):
        """Leave, then launch again, e.g. in an LMS mode ("review", "browse") as Moodle does."""
        self.leave()
        self.url = re.sub(r"&(mode|entry)=[\w-]+", "", self.url)
        self.url += (f"&mode={mode}" if mode else "") + (f"&entry={entry}" if entry else "")
        return self.open()

    def writes(self) -> list:
        """Every SetValue of this launch (the host page lists them)."""
        return self.page.evaluate("hostWrites")

    def cmi(self) -> dict:
        return self.page.evaluate("hostCMI()")

    def stored(self) -> dict:
        """The CMI as the host persisted it on the last commit/finish (what the LMS kept)."""
        key = f"host:{self.version}:{self.pkg}"
        return json.loads(self.page.evaluate("k => localStorage.getItem(k)", key))["cmi"]

    def calls(self) -> dict:
        key = f"host:{self.version}:{self.pkg}:calls"
        return json.loads(self.page.evaluate("k => localStorage.getItem(k) || '{}'", key))

    def leave(self):
        if self.popup:
            self.sco_page.close(run_before_unload=True)
        self.page.goto(f"{self.base}/blank.html")

    def close(self):
        self.context.close()

    def assert_clean(self):
        assert self.problems == []
        assert all(u.startswith(self.base) or u.startswith("data:") for u in self.requests), self.requests
        errors = self.frame.evaluate("kummiScorm.errors") if not self.frame.is_detached() else []
        assert errors == []


def answer(frame, qid: str, picks: list[str]) -> None:
    for option in picks:
        frame.check(f"#q-{qid}-{option}")
    frame.click(f"#q-{qid} button.check")


def interactions(cmi: dict) -> list[dict]:
    data = cmi["interactions"]
    return [data[k] for k in sorted(data, key=int)]


# ------------------------------------------------------------------ SCORM 1.2


def test_scorm12_quiz_module_fail_resume_retry_pass(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "1.2", "perusteet.fi.scorm12", mastery=60)
    try:
        frame = s.open()
        cmi = s.cmi()
        assert cmi["core"]["lesson_status"] == "incomplete"
        assert cmi["core"]["lesson_location"] == "01-johdanto"
        assert frame.inner_text("#progress-text") == "1/3 sivua katsottu"
        frame.click("#next")
        assert s.cmi()["core"]["lesson_location"] == "02-kaavio"
        assert frame.is_visible("#page-02-kaavio img") and not frame.is_visible("#page-01-johdanto")
        frame.click("#next")
        assert s.cmi()["core"]["lesson_location"] == "quiz"
        answer(frame, "ydin", ["b"])  # wrong
        assert frame.is_visible("#fb-ydin-b") and not frame.is_visible("#fb-ydin-a")
        assert frame.inner_text("#q-ydin .result") == "Ei aivan."
        # marks and feedback only for the chosen option: its sealed verdict and feedback were opened
        assert frame.get_attribute("#q-ydin [data-option='b']", "class") == "option picked is-wrong"
        assert frame.get_attribute("#q-ydin [data-option='a']", "class") == "option"
        assert frame.inner_text("#fb-ydin-b") == "Ei, kyse on toimintatavasta."
        assert frame.inner_text("#fb-ydin-a") == ""
        answer(frame, "monivalinta", ["a"])  # half right = wrong
        answer(frame, "kummit-tf", ["false"])  # right
        assert "is-correct" in frame.get_attribute("#q-kummit-tf [data-option='false']", "class")
        assert frame.inner_text("#fb-kummit-tf-false") == "Oikein – monesta virastosta."
        assert frame.get_attribute("#q-monivalinta [data-option='a']", "class") == "option picked is-correct"
        assert frame.get_attribute("#q-monivalinta [data-option='b']", "class") == "option"  # right, not chosen
        assert "33 %" in frame.inner_text("#quiz-summary")
        cmi = s.cmi()
        core = cmi["core"]
        assert core["lesson_status"] == "failed"
        assert (core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == ("33", "0", "100")
        assert core["exit"] == "suspend"
        recs = interactions(cmi)
        assert [(r["type"], r["student_response"], r["result"]) for r in recs] == [
            ("choice", "b", "wrong"),
            ("choice", "a", "wrong"),
            ("true-false", "f", "correct"),
        ]
        # the package does not know the right answers in plain form: no correct_responses
        assert all(not r.get("correct_responses") for r in recs)
        assert all(CLOCK12.match(r["time"]) and TIME12.match(r["latency"]) for r in recs)
        assert len({r["id"] for r in recs}) == 3 and recs[0]["id"] == "urn:kummi:perusteet:ydin:1"
        assert len(cmi["suspend_data"]) <= 4096

        frame = s.reload()
        assert s.calls()["finish"] == 1
        kept = s.cmi()
        assert TIME12.match(kept["core"]["session_time"]) and kept["core"]["session_time"] != "00:00:00"
        assert kept["core"]["entry"] == "resume"
        # resumed at the saved location with the answers in place
        assert frame.evaluate("kummiScorm.player.current") == "quiz"
        assert frame.is_checked("#q-ydin-b") and frame.is_disabled("#q-ydin-b")
        assert frame.is_visible("#fb-ydin-b")
        assert frame.get_attribute("#toc-list a[data-page='01-johdanto']", "class") == "seen"
        frame.click("#quiz-retry")
        answer(frame, "ydin", ["a"])
        answer(frame, "monivalinta", ["a", "b"])
        answer(frame, "kummit-tf", ["false"])
        cmi = s.cmi()
        assert cmi["core"]["lesson_status"] == "passed"
        assert cmi["core"]["score"]["raw"] == "100"
        assert cmi["core"]["exit"] == ""  # finished and passed: a normal exit
        recs = interactions(cmi)
        assert len(recs) == 6 and len({r["id"] for r in recs}) == 6
        assert recs[4]["student_response"] == "a,b" and recs[4]["result"] == "correct"
        s.assert_clean()
        s.leave()
        assert s.calls()["finish"] == 2 and s.calls()["init"] == 2
        final = s.stored()
        assert final["core"]["lesson_status"] == "passed" and TIME12.match(final["core"]["session_time"])
    finally:
        s.close()


def test_scorm12_module_without_quiz_completes_when_every_lesson_was_seen(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "1.2", "verkostot.sv.scorm12")
    try:
        frame = s.open()
        assert s.cmi()["core"]["lesson_status"] == "incomplete"
        assert frame.get_attribute("html", "lang") == "sv"
        assert frame.get_attribute("#page-01-verkosto", "lang") == "fi"  # no translation: Finnish, marked
        frame.click("#next")
        cmi = s.cmi()
        assert cmi["core"]["lesson_status"] == "completed"
        assert cmi["core"]["score"]["raw"] == "" and cmi["interactions"] == {}
        assert frame.inner_text("#done") == "Du har gått igenom hela avsnittet."
        s.assert_clean()
    finally:
        s.close()


def test_scorm12_in_a_popup_finds_the_api_through_the_opener(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "1.2", "verkostot.fi.scorm12", popup=True)
    try:
        frame = s.open()
        assert frame.evaluate("kummiScorm.player.standalone") is False
        frame.click("#next")
        assert s.cmi()["core"]["lesson_status"] == "completed"
        s.assert_clean()
        s.leave()
        assert s.calls()["finish"] == 1
        assert s.problems == []
    finally:
        s.close()


# ------------------------------------------------------------------ SCORM 2004


def test_scorm2004_quiz_module_fail_resume_retry_pass(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "2004", "perusteet.sv.scorm2004", mastery=60)
    try:
        frame = s.open()
        cmi = s.cmi()
        assert cmi["completion_status"] == "incomplete" and cmi["location"] == "01-johdanto"
        frame.click("#next")
        frame.click("#next")
        answer(frame, "ydin", ["a"])
        answer(frame, "monivalinta", ["a", "c"])
        answer(frame, "kummit-tf", ["true"])
        assert frame.inner_text("#q-kummit-tf .result") == "Inte riktigt."
        cmi = s.cmi()
        assert cmi["success_status"] == "failed" and cmi["completion_status"] == "completed"
        assert (cmi["score"]["raw"], cmi["score"]["min"], cmi["score"]["max"]) == ("33", "0", "100")
        assert float(cmi["score"]["scaled"]) == pytest.approx(0.33)
        assert cmi["exit"] == "suspend" and cmi["location"] == "quiz"
        recs = interactions(cmi)
        assert [(r["type"], r["learner_response"], r["result"]) for r in recs] == [
            ("choice", "a", "correct"),
            ("choice", "a[,]c", "incorrect"),
            ("true-false", "true", "incorrect"),
        ]
        assert all(not r.get("correct_responses") for r in recs)
        assert all(STAMP2004.match(r["timestamp"]) and TIME2004.match(r["latency"]) for r in recs)
        assert len({r["id"] for r in recs}) == 3

        frame = s.reload()
        assert s.calls()["finish"] == 1
        kept = s.stored()
        assert TIME2004.match(kept["session_time"]) and kept["session_time"] not in ("PT0S", "")
        assert frame.evaluate("kummiScorm.player.current") == "quiz"
        assert frame.is_checked("#q-monivalinta-c") and frame.is_disabled("#q-monivalinta-c")
        frame.click("#quiz-retry")
        answer(frame, "ydin", ["a"])
        answer(frame, "monivalinta", ["b", "a"])
        answer(frame, "kummit-tf", ["false"])
        cmi = s.cmi()
        assert cmi["success_status"] == "passed" and cmi["completion_status"] == "completed"
        assert cmi["score"]["raw"] == "100" and float(cmi["score"]["scaled"]) == 1
        assert float(cmi["progress_measure"]) == 1
        recs = interactions(cmi)
        assert len(recs) == 6 and len({r["id"] for r in recs}) == 6
        assert recs[4]["learner_response"] == "a[,]b" and recs[4]["result"] == "correct"
        assert len(cmi["suspend_data"]) <= 4096
        s.assert_clean()
        s.leave()
        assert s.calls()["finish"] == 2
        assert TIME2004.match(s.stored()["session_time"])
    finally:
        s.close()


def test_scorm2004_module_without_quiz(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "2004", "verkostot.en.scorm2004")
    try:
        frame = s.open()
        assert float(s.cmi()["progress_measure"]) == 0.5
        frame.click("#next")
        cmi = s.cmi()
        assert cmi["completion_status"] == "completed" and cmi["success_status"] == "unknown"
        assert cmi["score"]["raw"] == ""
        s.assert_clean()
    finally:
        s.close()


# ------------------------------------------------------------------ glossary links


def _in_view(frame, selector: str) -> bool:
    return frame.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


@pytest.mark.browser
@pytest.mark.parametrize(
    "version,pkg,back_label,location",
    [
        ("1.2", "perusteet.fi.scorm12", "Takaisin oppituntiin", "core.lesson_location"),
        ("2004", "perusteet.sv.scorm2004", "Tillbaka till lektionen", "location"),
    ],
)
def test_glossary_link_highlights_the_term_and_leads_back_to_the_lesson(browser, lms_server, version, pkg, back_label, location):
    base, _ = lms_server

    def where(cmi: dict) -> str:
        for part in location.split("."):
            cmi = cmi[part]
        return cmi

    s = Session(browser, base, version, pkg)
    try:
        frame = s.open()
        s.page.set_viewport_size({"width": 1000, "height": 420})  # short: the link is below the fold
        assert where(s.cmi()) == "01-johdanto"
        link = frame.locator("#page-01-johdanto a.term")
        link.scroll_into_view_if_needed()
        scrolled = frame.evaluate("window.pageYOffset")
        link.click()

        # the glossary, scrolled to the term, which has focus and is visibly highlighted
        assert frame.evaluate("kummiScorm.player.current") == "glossary"
        assert frame.is_visible("#page-glossary") and not frame.is_visible("#page-01-johdanto")
        assert frame.evaluate("document.activeElement.id") == "glossary--ilmiolahtoisyys"
        entry = "#page-glossary .glossary-entry:has(#glossary--ilmiolahtoisyys)"
        assert "is-target" in frame.get_attribute(entry, "class")
        style = frame.evaluate(
            """sel => { const e = getComputedStyle(document.querySelector(sel));
                        const d = getComputedStyle(document.querySelector('#glossary--ilmiolahtoisyys'));
                        return [e.backgroundColor, e.boxShadow, d.outlineStyle]; }""",
            entry,
        )
        assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent") and style[1] != "none" and style[2] == "solid"
        assert _in_view(frame, "#glossary--ilmiolahtoisyys") and _in_view(frame, "#glossary-def--ilmiolahtoisyys")
        # the definition is the term's description for screen readers
        assert frame.get_attribute("#glossary--ilmiolahtoisyys", "aria-describedby") == "glossary-def--ilmiolahtoisyys"
        # the glossary is not a lesson: no progress for it, and the LMS location stays at the lesson
        assert frame.inner_text("#progress-text") == ("1/3 sivua katsottu" if version == "1.2" else "1/3 sidor lästa")
        assert where(s.cmi()) == "01-johdanto"
        back = frame.locator("#back")
        assert back.is_visible() and back.inner_text().strip() == "‹ " + back_label
        assert frame.locator("#page-glossary [data-back]").is_visible()

        back.click()
        assert frame.evaluate("kummiScorm.player.current") == "01-johdanto"
        assert frame.is_visible("#page-01-johdanto") and not frame.is_visible("#page-glossary")
        assert frame.evaluate("document.activeElement.matches('#page-01-johdanto a.term.is-return')")  # marked
        assert _in_view(frame, "#page-01-johdanto a.term")
        assert abs(frame.evaluate("window.pageYOffset") - scrolled) <= 2
        assert not back.is_visible()
        assert frame.locator(".glossary-entry.is-target").count() == 0
        assert where(s.cmi()) == "01-johdanto"

        # the glossary from the table of contents: no term highlighted, back goes to the page left
        frame.click("#next")
        frame.click("#toc-list a[data-page='glossary']")
        assert frame.evaluate("kummiScorm.player.current") == "glossary"
        assert frame.locator(".glossary-entry.is-target").count() == 0
        assert frame.evaluate("document.activeElement.id") == "title-glossary"
        assert where(s.cmi()) == "02-kaavio"
        # leaving while on the glossary resumes at the lesson, not the glossary
        frame = s.reload()
        assert frame.evaluate("kummiScorm.player.current") == "02-kaavio"
        assert where(s.stored()) == "02-kaavio"
        assert not frame.locator("#back").is_visible()
        s.assert_clean()
    finally:
        s.close()


# ------------------------------------------------------------------ without an LMS


def _extract(built: Path, name: str, dest: Path) -> Path:
    with zipfile.ZipFile(built / name) as zf:
        zf.extractall(dest)
    return dest / "index.html"


def test_standalone_launch_keeps_progress_locally(browser, built, tmp_path):
    index = _extract(built, "perusteet.fi.scorm12.zip", tmp_path / "pkg")
    context = browser.new_context()
    problems, requests = [], []
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(index.as_uri())
        page.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        assert page.evaluate("kummiScorm.player.standalone") is True
        assert page.is_visible("#standalone-note")
        page.click("#toc-list a[data-page='quiz']")
        answer(page, "ydin", ["a"])
        page.reload()
        page.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        assert page.evaluate("kummiScorm.player.current") == "quiz"
        assert page.is_checked("#q-ydin-a") and page.is_visible("#fb-ydin-a")
        # in-page links: glossary term on another page
        page.click("#toc-list a[data-page='01-johdanto']")
        page.click("#page-01-johdanto a.term")
        assert page.evaluate("kummiScorm.player.current") == "glossary"
        assert problems == []
        assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
    finally:
        context.close()


def test_runtime_formatters(browser, built, tmp_path):
    index = _extract(built, "verkostot.fi.scorm12.zip", tmp_path / "pkg")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(index.as_uri())
        got = page.evaluate(
            """() => {
              const k = kummiScorm;
              return {
                t12: [0, 450, 3723450, 36000000, 1e12].map(k.time12),
                t04: [0, 500, 3000, 60000, 3600000, 3723450, 3723400, 100].map(k.time2004),
                c12: k.timestamp12(new Date(2024, 0, 2, 3, 4, 5)),
                s04: k.timestamp2004(new Date(2024, 0, 2, 3, 4, 5)),
                enc: k.encodeState({seen: {1: true, 2: true, 100: true}, answers: {b: ["a", "c"], a: ["true"]}, count: 40}),
                dec: k.decodeState("k1~6~x:ab,ydin:z,ydin2:b~a", [{id: "x", type: "multiple", options: ["a", "b"]},
                                                              {id: "ydin2", type: "single", options: ["a", "b"]}]),
                junk: k.decodeState("garbage", []),
              };
            }"""
        )
        assert got["t12"] == ["00:00:00.00", "00:00:00.45", "01:02:03.45", "10:00:00.00", "9999:59:59.99"]
        assert got["t04"] == ["PT0S", "PT0.5S", "PT3S", "PT1M", "PT1H", "PT1H2M3.45S", "PT1H2M3.4S", "PT0.1S"]
        assert all(TIME12.match(t) for t in got["t12"]) and all(TIME2004.match(t) for t in got["t04"])
        assert got["c12"] == "03:04:05" and got["s04"] == "2024-01-02T03:04:05"
        assert got["enc"] == "k1~6" + "0" * 24 + "1~a:true,b:ac~14"
        assert got["dec"] == {"seen": {"1": True, "2": True}, "answers": {"x": ["a", "b"], "ydin2": ["b"]}, "count": 10}
        assert got["junk"] == {"seen": {}, "answers": {}, "count": 0}
    finally:
        context.close()


def test_lms_errors_never_break_the_page(browser, lms_server):
    """An LMS whose every call fails: the SCO keeps working and records the errors."""
    base, root = lms_server
    host = root / "bad-host.html"
    host.write_text(
        """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad LMS</title><link rel="icon" href="data:,"><script>
        var n = 0;
        window.API = {
          LMSInitialize: function () { return "true"; },
          LMSGetValue: function () { throw new Error("boom"); },
          LMSSetValue: function () { n++; return "false"; },
          LMSCommit: function () { return "false"; },
          LMSFinish: function () { window.finished = (window.finished || 0) + 1; return "false"; },
          LMSGetLastError: function () { return "101"; },
          LMSGetErrorString: function () { return "General exception"; },
          LMSGetDiagnostic: function () { return ""; }
        };</script></head><body><iframe title="SCO" src="pkg/perusteet.fi.scorm12/index.html"></iframe></body></html>""",
        encoding="utf-8",
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/bad-host.html")
        frame = page.wait_for_selector("iframe").content_frame()
        frame.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        frame.click("#next")
        assert frame.evaluate("kummiScorm.player.current") == "02-kaavio"
        assert frame.evaluate("kummiScorm.errors.length") > 0
        assert frame.evaluate("kummiScorm.errors[0].code") == "101"
        frame.evaluate("kummiScorm.player.finish(); kummiScorm.player.finish();")
        assert page.evaluate("window.finished") == 1
        assert errors == []
    finally:
        context.close()


# ------------------------------------------------------------------ review and browse modes, end summary

REVIEW_QUIZ_INTRO = {
    "en": "You see your result as the learning platform recorded it. You cannot change the answers. To answer again, "
          "go back to the module's page in the learning platform and start a new attempt there.",
    "fi": "Näet tallennetun tuloksesi sellaisena kuin oppimisalusta sen tallensi. Vastauksia ei voi muuttaa. Jos haluat "
          "vastata uudelleen, palaa oppimisalustan osion sivulle ja aloita sieltä uusi suorituskerta.",
}


def _fail_the_quiz(frame) -> None:
    frame.click("#next")
    frame.click("#next")
    answer(frame, "ydin", ["b"])
    answer(frame, "monivalinta", ["a"])
    answer(frame, "kummit-tf", ["false"])


@pytest.mark.parametrize(
    "version,pkg,recorded,review_note",
    [
        ("1.2", "perusteet.en.scorm12", "not passed, score 33 %", "This is a review of your recorded attempt."),
        ("2004", "perusteet.fi.scorm2004", "suoritettu, ei hyväksytty, tulos 33 %", "Tämä on tallennetun suorituksesi tarkastelu."),
    ],
)
def test_failed_attempt_reopened_in_review_mode_shows_what_the_lms_recorded(browser, lms_server, tmp_path, version, pkg, recorded, review_note):
    """Moodle reopens a failed attempt in review mode: no retry, nothing written, and the result shown
    is the one the LMS keeps."""
    base, _ = lms_server
    s = Session(browser, base, version, pkg, mastery=60)
    try:
        frame = s.open()
        _fail_the_quiz(frame)
        # the end summary at once: focus on its heading, the LMS's read-back shown
        assert frame.is_visible("#end-summary")
        assert frame.evaluate("document.activeElement.id") == "end-title"
        assert frame.inner_text("#end-pages") == "2/2"
        assert frame.inner_text("#end-recorded") == recorded
        assert frame.get_attribute("#done", "role") == "status" and frame.inner_text("#done")
        frame = s.relaunch("review")
        before = s.stored()  # what the LMS kept from the failed attempt
        assert frame.evaluate("kummiScorm.player.review") is True
        assert frame.is_visible("#mode-note") and frame.inner_text("#mode-note").startswith(review_note)
        assert frame.evaluate("kummiScorm.player.current") == "quiz"
        # the quiz intro says what a review is and where a new attempt starts, not "answer the questions"
        intro = frame.inner_text("#quiz-intro")
        assert intro == REVIEW_QUIZ_INTRO[pkg.split(".")[1]]
        assert "Answer the questions" not in intro and "Vastaa kysymyksiin" not in intro
        assert not frame.is_visible("#quiz-retry")
        assert frame.is_checked("#q-ydin-b") and frame.is_disabled("#q-ydin-a")
        assert not frame.is_visible("#q-ydin button.check")
        summary = frame.inner_text("#quiz-summary")
        assert recorded in summary
        assert frame.is_visible("#end-summary") and frame.inner_text("#end-recorded") == recorded
        s.page.screenshot(path=str(tmp_path / "review.png"))  # for a person to look at
        # what is shown is what the LMS stores
        if version == "1.2":
            assert (before["core"]["lesson_status"], before["core"]["score"]["raw"]) == ("failed", "33")
            assert s.cmi()["core"]["lesson_mode"] == "review"
        else:
            assert (before["success_status"], before["completion_status"]) == ("failed", "completed")
            assert float(before["score"]["scaled"]) == pytest.approx(0.33)
            assert s.cmi()["mode"] == "review"
        frame.click("#toc-list a[data-page='01-johdanto']")
        frame.click("#next")
        frame.evaluate("kummiScorm.player.finish()")
        assert s.writes() == []  # not a status, a score, a location or a session time
        s.assert_clean()
        s.leave()
        after = s.stored()
        # the review's own launch data (mode, entry) aside, the record is the failed attempt's
        for key in ("mode", "entry", "lesson_mode"):
            for cmi in (after, before, after.get("core", {}), before.get("core", {})):
                cmi.pop(key, None)
        assert after == before
    finally:
        s.close()


@pytest.mark.parametrize("version,pkg", [("1.2", "perusteet.sv.scorm12"), ("2004", "perusteet.en.scorm2004")])
def test_browse_mode_writes_no_score(browser, lms_server, version, pkg):
    base, _ = lms_server
    s = Session(browser, base, version, pkg, mastery=60, mode="browse")
    try:
        frame = s.open()
        assert frame.is_visible("#mode-note")
        _fail_the_quiz(frame)
        assert frame.is_visible("#quiz-retry")  # practising is fine
        not_recorded = "Resultatet sparas inte." if version == "1.2" else "The score is not saved."
        assert frame.inner_text("#quiz-summary").endswith(not_recorded)
        assert frame.inner_text("#end-recorded") == not_recorded
        written = {element for element, _ in s.writes()}
        assert not any("score" in e or "status" in e or "interactions" in e for e in written), written
        s.assert_clean()
    finally:
        s.close()


def test_end_summary_of_a_module_without_quiz(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "1.2", "verkostot.fi.scorm12")
    try:
        frame = s.open()
        assert not frame.is_visible("#end-summary")
        frame.click("#next")
        assert frame.is_visible("#end-summary")
        assert frame.evaluate("document.activeElement.id") == "end-title"
        assert frame.inner_text("#end-title") == "Yhteenveto"
        assert frame.inner_text("#end-pages") == "2/2"
        assert s.cmi()["core"]["lesson_status"] == "completed"
        assert frame.inner_text("#end-recorded") == "suoritettu"
        assert frame.locator("#end-quiz").count() == 0
        # back to the first page: the summary belongs to the end
        frame.click("#prev")
        assert not frame.is_visible("#end-summary")
        s.assert_clean()
    finally:
        s.close()


def test_a_new_attempt_ab_initio_starts_from_the_beginning(browser, lms_server):
    base, _ = lms_server
    s = Session(browser, base, "2004", "perusteet.sv.scorm2004", mastery=60)
    try:
        frame = s.open()
        _fail_the_quiz(frame)
        frame = s.relaunch(entry="ab-initio")
        assert frame.evaluate("kummiScorm.player.current") == "01-johdanto"
        assert not frame.is_checked("#q-ydin-b") and not frame.is_disabled("#q-ydin-b")
        assert not frame.is_visible("#end-summary")
        s.assert_clean()
    finally:
        s.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_lms_mastery_score_is_the_pass_mark_shown(browser, lms_server, version):
    """The LMS grades by its mastery score (1.2) / scaled passing score (2004), not the package's 60:
    the learner is shown the status the LMS records."""
    base, _ = lms_server
    pkg = "perusteet.en.scorm12" if version == "1.2" else "perusteet.en.scorm2004"
    s = Session(browser, base, version, pkg, mastery=70)
    try:
        frame = s.open()
        frame.click("#next")
        frame.click("#next")
        assert frame.inner_text("#quiz-intro") == "Answer the questions. The pass mark is 70 %."
        answer(frame, "ydin", ["a"])
        answer(frame, "monivalinta", ["a", "b"])
        answer(frame, "kummit-tf", ["true"])  # 2/3 = 67 %: over the package's 60, under the LMS's 70
        cmi = s.cmi()
        status = cmi["core"]["lesson_status"] if version == "1.2" else cmi["success_status"]
        assert status == "failed"
        assert frame.inner_text("#end-quiz") == "67 %, not passed. The pass mark is 70 %."
        assert "not passed, score 67 %" in frame.inner_text("#end-recorded")
        assert frame.is_visible("#quiz-retry")
        s.assert_clean()
    finally:
        s.close()
