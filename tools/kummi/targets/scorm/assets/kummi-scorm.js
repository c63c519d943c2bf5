/* kummi SCORM runtime: one SCO per module, SCORM 1.2 or 2004 4th edition, or standalone.
 * Plain ES5 on purpose (old embedded browsers, the Moodle app). Every LMS call is guarded: an LMS
 * problem is recorded in kummiScorm.errors and never breaks the page. */
(function (root) {
  "use strict";

  // ------------------------------------------------------------------ pure helpers (unit-tested)

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) { s = "0" + s; }
    return s;
  }

  /** SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (2-4 hour digits, 2 decimals), capped at 9999:59:59.99. */
  function time12(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10));
    var max = (9999 * 3600 + 59 * 60 + 59) * 100 + 99;
    if (cs > max) { cs = max; }
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var s = Math.floor((cs % 6000) / 100);
    var c = cs % 100;
    return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(c, 2);
  }

  /** SCORM 2004 timeinterval (ISO 8601 duration): PT1H2M3.45S; zero is PT0S. */
  function time2004(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10));
    if (cs === 0) { return "PT0S"; }
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var rest = cs % 6000;
    var s = Math.floor(rest / 100);
    var c = rest % 100;
    var out = "PT";
    if (h) { out += h + "H"; }
    if (m) { out += m + "M"; }
    if (s || c || (!h && !m)) {
      out += s + (c ? "." + (c % 10 === 0 ? String(c / 10) : pad(c, 2)) : "") + "S";
    }
    return out;
  }

  /** SCORM 1.2 CMITime (time of day): HH:MM:SS. */
  function timestamp12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  /** SCORM 2004 time(second,10,0): YYYY-MM-DDThh:mm:ss (local time). */
  function timestamp2004(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) +
      "T" + timestamp12(date);
  }

  /** Module state -> compact suspend_data: "k1~<seen bits, hex>~qid:answers,qid:answers~<n>".
   * Bits: lesson number NN (0-99), 100 = quiz page, 101 = competence map page. Answers: option ids concatenated. n: answers
   * recorded so far (base 36), so interaction ids stay unique even if the LMS cannot count them. */
  function encodeState(state) {
    var hex = "";
    for (var nib = 0; nib * 4 <= 100; nib++) {
      var v = 0;
      for (var b = 0; b < 4; b++) { if (state.seen[nib * 4 + b]) { v |= 1 << b; } }
      hex += v.toString(16);
    }
    hex = hex.replace(/0+$/, "");
    var answers = [];
    var ids = Object.keys(state.answers).sort();
    for (var i = 0; i < ids.length; i++) {
      var a = state.answers[ids[i]];
      if (a && a.length) { answers.push(ids[i] + ":" + a.join("")); }
    }
    return "k1~" + hex + "~" + answers.join(",") + "~" + (state.count || 0).toString(36);
  }

  function decodeState(text, questions) {
    var state = { seen: {}, answers: {}, count: 0 };
    if (typeof text !== "string" || text.indexOf("k1~") !== 0) { return state; }
    var parts = text.split("~");
    state.count = parseInt(parts[3] || "0", 36) || 0;
    var hex = parts[1] || "";
    for (var nib = 0; nib < hex.length; nib++) {
      var v = parseInt(hex.charAt(nib), 16);
      if (isNaN(v)) { continue; }
      for (var b = 0; b < 4; b++) { if (v & (1 << b)) { state.seen[nib * 4 + b] = true; } }
    }
    var known = {};
    for (var q = 0; q < (questions || []).length; q++) { known[questions[q].id] = questions[q]; }
    var pairs = (parts[2] || "").split(",");
    for (var i = 0; i < pairs.length; i++) {
      var kv = pairs[i].split(":");
      var question = known[kv[0]];
      if (!question || !kv[1]) { continue; }
      var picked = [];
      var ok = true;
      for (var c = 0; c < kv[1].length; c++) {
        var id = kv[1].charAt(c);
        if (question.type === "truefalse") { id = kv[1]; c = kv[1].length; }
        if (question.options.indexOf(id) < 0) { ok = false; break; }
        picked.push(id);
      }
      if (ok && picked.length) { state.answers[kv[0]] = picked; }
    }
    return state;
  }

  /** Right when the digest of the chosen ids equals the question's key (answerkey.js): the package
   * carries no list of right answers. */
  function isCorrect(question, picked, salt) {
    if (!picked || !picked.length || !question.key) { return false; }
    var answerKey = root.kummiAnswerKey;
    if (typeof answerKey !== "function") { return false; }
    return safe(function () { return answerKey(salt, question.id, picked); }, "") === question.key;
  }

  /** Open a sealed text of an option (answerkey.js kummiUnseal); "" when it cannot be opened. */
  function unsealed(salt, qid, oid, sealed) {
    var unseal = root.kummiUnseal;
    if (!sealed || typeof unseal !== "function") { return ""; }
    return safe(function () { return unseal(salt, qid, oid, sealed); }, "");
  }

  // ------------------------------------------------------------------ LMS adapter

  function safe(fn, fallback) {
    try { return fn(); } catch (e) { return fallback; }
  }

  /** Look for `name` in the window, its parents (bounded) and the opener chain. */
  function findAPI(win, name) {
    var seen = 0;
    function scan(w) {
      var hops = 0;
      while (w && hops < 12 && seen < 40) {
        seen++;
        var api = safe(function () { return w[name]; }, null);
        if (api) { return api; }
        var parent = safe(function () { return w.parent; }, null);
        if (!parent || parent === w) { break; }
        w = parent;
        hops++;
      }
      return null;
    }
    var found = scan(win);
    var opener = safe(function () { return win.opener; }, null);
    var tries = 0;
    while (!found && opener && tries < 5) {
      found = scan(opener);
      var op = opener;
      opener = safe(function () { return op.opener; }, null);
      if (opener === op) { break; }
      tries++;
    }
    if (!found) {
      var top = safe(function () { return win.top; }, null);
      var topOpener = top && safe(function () { return top.opener; }, null);
      if (topOpener) { found = scan(topOpener); }
    }
    return found;
  }

  var KEYS = {
    "1.2": {
      api: "API", init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", err: "LMSGetLastError", errStr: "LMSGetErrorString",
      location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", status: "cmi.core.lesson_status",
      mode: "cmi.core.lesson_mode", exit: "cmi.core.exit", session: "cmi.core.session_time",
      raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
      entry: "cmi.core.entry"
    },
    "2004": {
      api: "API_1484_11", init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", err: "GetLastError", errStr: "GetErrorString",
      location: "cmi.location", suspend: "cmi.suspend_data", status: "cmi.completion_status",
      success: "cmi.success_status", mode: "cmi.mode", exit: "cmi.exit", session: "cmi.session_time",
      raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max", scaled: "cmi.score.scaled",
      progress: "cmi.progress_measure", entry: "cmi.entry"
    }
  };

  function Lms(version, win) {
    this.version = version;
    this.k = KEYS[version] || KEYS["1.2"];
    this.api = findAPI(win, this.k.api);
    this.active = false;
    this.finished = false;
    this.errors = [];
    this.written = {};
  }

  Lms.prototype.call = function (method, args, what) {
    var self = this;
    if (!this.api || this.finished) { return ""; }
    var result = safe(function () { return self.api[method].apply(self.api, args || []); }, "false");
    var failed = result === false || result === "false";
    if (method === self.k.get) {
      var code = safe(function () { return String(self.api[self.k.err]()); }, "0");
      if (code !== "0" && code !== "" && code !== "403" && code !== "401") {
        this.record(method, what, code);
      }
      return result === null || result === undefined ? "" : String(result);
    }
    if (failed) {
      var c2 = safe(function () { return String(self.api[self.k.err]()); }, "?");
      this.record(method, what, c2);
    }
    return result;
  };

  Lms.prototype.record = function (method, what, code) {
    var self = this;
    var text = safe(function () { return String(self.api[self.k.errStr](code)); }, "");
    this.errors.push({ call: method, element: what || "", code: code, text: text });
    safe(function () { root.console.warn("SCORM " + method + "(" + (what || "") + ") -> " + code + " " + text); });
  };

  Lms.prototype.init = function () {
    if (!this.api) { return false; }
    var r = this.call(this.k.init, [""], "");
    this.active = r === true || r === "true";
    return this.active;
  };

  Lms.prototype.get = function (key) {
    if (!this.active) { return ""; }
    return this.call(this.k.get, [key], key);
  };

  /** Set a value; repeated identical writes are skipped (the LMS has it already). */
  Lms.prototype.set = function (key, value, always) {
    if (!this.active) { return false; }
    value = String(value);
    if (!always && this.written[key] === value) { return true; }
    var r = this.call(this.k.set, [key, value], key);
    var ok = r === true || r === "true";
    if (ok) { this.written[key] = value; }
    return ok;
  };

  Lms.prototype.commit = function () {
    if (!this.active) { return false; }
    return this.call(this.k.commit, [""], "");
  };

  Lms.prototype.finish = function () {
    if (!this.active || this.finished) { return false; }
    if (this.version === "1.2") { this.commit(); }
    var r = this.call(this.k.finish, [""], "");
    this.finished = true;  // exactly once, whatever the result
    return r;
  };

  // ------------------------------------------------------------------ the player

  function Player(doc, win, data) {
    this.doc = doc;
    this.win = win;
    this.data = data;
    this.ui = data.strings;
    this.pages = data.pages;
    this.flow = [];
    for (var i = 0; i < this.pages.length; i++) { if (this.pages[i].bit >= 0) { this.flow.push(this.pages[i]); } }
    this.state = { seen: {}, answers: {} };
    this.current = null;
    this.started = new Date().getTime();
    this.pageShown = this.started;
    this.lms = new Lms(data.version, win);
    this.standalone = false;
    this.review = false;  // LMS mode "review": a recorded attempt, shown as the LMS keeps it
    this.browse = false;  // LMS mode "browse": look around, nothing graded is written
    this.entry = "";
    this.recorded = null;  // status and score as the LMS returns them (read at start and after saving)
    this.wasFinished = false;
    this.passMark = data.passMark;  // the LMS's mastery score replaces it (the LMS grades by that)
    this.finishedOn = null;  // the page on which the last requirement was met
    this.booted = false;
    this.answerCount = 0;
    this.location = null;  // the last lesson or quiz page shown: what cmi location / resume use
    this.returnTo = null;  // on the glossary: { page, link, x, y } of the page the learner came from
  }

  Player.prototype.$ = function (id) { return this.doc.getElementById(id); };

  Player.prototype.start = function () {
    var self = this;
    var saved = "";
    var location = "";
    if (this.lms.init()) {
      var mode = this.lms.get(this.lms.k.mode);
      this.review = mode === "review";
      this.browse = mode === "browse";
      this.entry = this.lms.get(this.lms.k.entry);
      saved = this.lms.get(this.lms.k.suspend);
      location = this.lms.get(this.lms.k.location);
      if (this.entry === "ab-initio" && !this.review) {
        saved = "";  // a new attempt starts from the beginning, whatever an earlier one left
        location = "";
      }
      var status = this.lms.get(this.lms.k.status);
      if (this.writes() && (status === "" || status === "not attempted" || status === "unknown")) {
        this.lms.set(this.lms.k.status, "incomplete");
        this.lms.commit();
      }
      this.recorded = this.readRecorded();
      this.readPassMark();
      this.lmsCount = parseInt(this.lms.get("cmi.interactions._count"), 10) || 0;
      var note = this.$("mode-note");
      if (note && (this.review || this.browse)) {
        note.textContent = this.review ? this.ui.review_note : this.ui.browse_note;
        note.hidden = false;
      }
      var quizIntro = this.$("quiz-intro");
      if (quizIntro && this.review) {
        // Not "answer the questions": the recorded attempt is shown, a new one starts in the LMS.
        quizIntro.textContent = this.ui.review_quiz_intro;
      }
    } else {
      this.standalone = true;
      var stored = safe(function () { return JSON.parse(root.localStorage.getItem(self.data.storageKey) || "null"); }, null);
      if (stored && typeof stored === "object") {
        saved = String(stored.s || "");
        location = String(stored.l || "");
      }
      var note = this.$("standalone-note");
      if (note) { note.hidden = false; }
    }
    this.state = decodeState(saved, this.data.questions);
    this.answerCount = Math.max(this.state.count || 0, this.lmsCount || 0);
    this.bind();
    this.restoreQuiz();
    this.wasFinished = this.finishedModule();
    // Resume only at a lesson or the quiz (a glossary location saved by an older runtime is ignored).
    var page = this.page(location);
    if (!page || page.bit < 0) { page = this.flow[0] || this.pages[0]; }
    this.show(page ? page.id : null, { initial: true });
    this.booted = true;
  };

  /** The pass mark the LMS applies: SCORM 1.2 cmi.student_data.mastery_score (0-100), 2004
   * cmi.scaled_passing_score (0-1). Moodle takes them from the manifest, but an LMS may set its
   * own, and the status it records follows that one: the learner is told the same. */
  Player.prototype.readPassMark = function () {
    if (!this.data.questions.length) { return; }
    var v12 = this.lms.version === "1.2";
    var text = this.lms.get(v12 ? "cmi.student_data.mastery_score" : "cmi.scaled_passing_score");
    var value = parseFloat(text);
    if (text === "" || isNaN(value)) { return; }
    var mark = v12 ? value : Math.round(value * 100);
    if (mark < 0 || mark > 100) { return; }
    this.passMark = mark;
    var intro = this.$("quiz-intro");
    if (intro && mark !== this.data.passMark && !this.review) { intro.textContent = fmt(this.ui.quiz_intro, { pass_mark: mark }); }
  };

  /** Does this launch write to the LMS? Not in review or browse mode, not without an LMS. */
  Player.prototype.writes = function () {
    return this.lms.active && !this.lms.finished && !this.review && !this.browse;
  };

  Player.prototype.page = function (id) {
    for (var i = 0; i < this.pages.length; i++) { if (this.pages[i].id === id) { return this.pages[i]; } }
    return null;
  };

  Player.prototype.bind = function () {
    var self = this;
    var doc = this.doc;
    doc.documentElement.className = doc.documentElement.className.replace("no-js", "js");
    var prev = this.$("prev"), next = this.$("next");
    if (prev) { prev.onclick = function () { self.step(-1); }; }
    if (next) { next.onclick = function () { self.step(1); }; }
    var toggle = this.$("toc-toggle");
    if (toggle) {
      toggle.hidden = false;
      toggle.onclick = function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        doc.documentElement.classList.toggle("toc-open", open);
      };
    }
    doc.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a[href^='#']") : null;
      if (!a) { return; }
      var id = a.getAttribute("href").slice(1);
      var target = id && doc.getElementById(id);
      if (!target) { return; }
      var section = target.closest ? target.closest("section.page") : null;
      if (section && section.getAttribute("data-page")) {
        ev.preventDefault();
        self.show(section.getAttribute("data-page"), { focus: target === section ? null : target, link: a });
        if (toggle && toggle.getAttribute("aria-expanded") === "true") { toggle.click(); }
      } else if (id === "main") {
        ev.preventDefault();
        target.focus();
      }
    });
    var forms = doc.querySelectorAll("form.question");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          safe(function () { self.answer(form); });
        });
      })(forms[i]);
    }
    var retry = this.$("quiz-retry");
    if (retry) { retry.onclick = function () { self.retry(); }; }
    this.bindMap();
    var backs = doc.querySelectorAll("[data-back]");
    for (var b = 0; b < backs.length; b++) { backs[b].onclick = function () { self.back(); }; }
    // Leaving: commit when hidden, finish once on pagehide.
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden") { safe(function () { self.save(); }); }
    });
    win_on(this.win, "pagehide", function () { safe(function () { self.finish(); }); });
  };

  /** The competence map's filter (by theme, by language of service): shown only with script. */
  Player.prototype.bindMap = function () {
    var self = this;
    var form = this.$("map-filters");
    if (!form || !this.$("competence-map")) { return; }
    form.hidden = false;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var selects = form.querySelectorAll("select");
    for (var i = 0; i < selects.length; i++) {
      selects[i].addEventListener("change", function () { safe(function () { self.filterMap(true); }); });
    }
    this.filterMap(false);
  };

  /** Theme: only that theme's column. Language: only mentors who serve in it. Agencies with no
   * mentor left are hidden; the status line says how many mentors show. */
  Player.prototype.filterMap = function (announce) {
    var table = this.$("competence-map");
    var theme = (this.$("map-theme") || {}).value || "";
    var lang = (this.$("map-lang") || {}).value || "";
    var cols = table.querySelectorAll("[data-theme]");
    for (var i = 0; i < cols.length; i++) { cols[i].hidden = !!theme && cols[i].getAttribute("data-theme") !== theme; }
    var shown = {}, all = {}, n = 0, total = 0;
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var any = false;
      var items = rows[r].querySelectorAll("li[data-mentor]");
      for (var j = 0; j < items.length; j++) {
        var id = items[j].getAttribute("data-mentor");
        var langs = " " + (items[j].getAttribute("data-langs") || "") + " ";
        var visible = !lang || langs.indexOf(" " + lang + " ") >= 0;
        items[j].hidden = !visible;
        if (!all[id]) { all[id] = true; total++; }
        if (visible && !items[j].parentNode.parentNode.hidden) {
          any = true;
          if (!shown[id]) { shown[id] = true; n++; }
        }
      }
      rows[r].hidden = !any;
    }
    var status = this.$("map-status");
    if (status && (announce || status.textContent)) {
      status.textContent = n ? fmt(this.ui.map_shown, { n: n, total: total }) : this.ui.map_none;
    }
  };

  function win_on(win, name, fn) {
    safe(function () { win.addEventListener(name, fn); });
  }

  Player.prototype.step = function (delta) {
    var idx = this.flowIndex(this.current);
    var target = this.flow[idx + delta];
    if (target) { this.show(target.id, { focus: "title" }); }
  };

  Player.prototype.flowIndex = function (id) {
    for (var i = 0; i < this.flow.length; i++) { if (this.flow[i].id === id) { return i; } }
    return -1;
  };

  Player.prototype.show = function (id, opts) {
    opts = opts || {};
    var page = this.page(id);
    if (!page) { return; }
    var from = this.page(this.current);
    if (page.bit < 0) {
      // Leaving a lesson (or the quiz) for the glossary: remember the page, the link and the scroll
      // position so "back" can return there. Moving within the glossary keeps the first one.
      if (from && from.bit >= 0) {
        var fromSection = this.doc.getElementById("page-" + from.id);
        var link = opts.link && fromSection && fromSection.contains(opts.link) ? opts.link : null;
        this.returnTo = { page: from.id, link: link, x: this.scrollX(), y: this.scrollY() };
      }
    } else {
      this.returnTo = null;
      this.location = id;
    }
    this.current = id;
    this.pageShown = new Date().getTime();
    var sections = this.doc.querySelectorAll("section.page");
    for (var i = 0; i < sections.length; i++) {
      var on = sections[i].getAttribute("data-page") === id;
      sections[i].classList.toggle("current", on);
    }
    var intro = this.doc.querySelector("section.intro");
    if (intro) { intro.hidden = !(this.flow[0] && this.flow[0].id === id); }
    if (page.bit >= 0) { this.state.seen[page.bit] = true; }
    this.renderNav();
    this.save();
    this.highlight(opts.focus && opts.focus !== "title" ? opts.focus : null);
    if (opts.restore) {
      this.restore(id, opts.restore);
    } else if (!opts.initial) {
      var focus = opts.focus && opts.focus !== "title" ? opts.focus : this.$("title-" + id);
      if (focus && focus.focus) { safe(function () { focus.focus({ preventScroll: true }); }); }
      if (opts.focus && opts.focus !== "title" && opts.focus.scrollIntoView) {
        var entry = this.entryOf(opts.focus);
        safe(function () { opts.focus.scrollIntoView(entry ? { block: "center" } : true); });
      } else {
        safe(function () { (this.doc.getElementById("main") || {}).scrollTop = 0; }.bind(this));
        safe(function () { this.win.scrollTo(0, 0); }.bind(this));
      }
    }
    this.renderEnd();
  };

  /** The glossary entry (term and definition) an element belongs to, or null. */
  Player.prototype.entryOf = function (el) {
    return el && el.closest ? el.closest(".glossary-entry") : null;
  };

  /** Mark the glossary entry the learner came to see (like :target, which in-page routing bypasses). */
  Player.prototype.highlight = function (el) {
    var entry = this.entryOf(el);
    var marked = this.doc.querySelectorAll(".glossary-entry.is-target");
    for (var i = 0; i < marked.length; i++) {
      if (marked[i] !== entry) { marked[i].classList.remove("is-target"); }
    }
    if (entry) { entry.classList.add("is-target"); }
  };

  /** Back from the glossary to the page (and link) the learner came from. */
  Player.prototype.back = function () {
    var r = this.returnTo;
    if (!r || !this.page(r.page)) { return; }
    this.show(r.page, { restore: r });
  };

  /** Return to a remembered position: same scroll position, focus on the link that was followed. */
  Player.prototype.restore = function (id, r) {
    var self = this;
    var link = r.link && this.doc.contains(r.link) ? r.link : null;
    var focus = link || this.$("title-" + id);
    safe(function () { self.win.scrollTo(r.x || 0, r.y || 0); });
    if (link) {
      // Show where the learner left off even after a mouse click (:focus-visible would not).
      link.classList.add("is-return");
      var unmark = function () {
        link.classList.remove("is-return");
        link.removeEventListener("blur", unmark);
      };
      link.addEventListener("blur", unmark);
    }
    if (focus && focus.focus) { safe(function () { focus.focus({ preventScroll: true }); }); }
    if (link && link.getBoundingClientRect) {
      safe(function () {
        var box = link.getBoundingClientRect();
        var height = self.win.innerHeight || self.doc.documentElement.clientHeight;
        if (box.bottom <= 0 || box.top >= height) { link.scrollIntoView({ block: "center" }); }
      });
    }
  };

  Player.prototype.scrollX = function () {
    var w = this.win;
    return safe(function () { return w.pageXOffset || 0; }, 0);
  };

  Player.prototype.scrollY = function () {
    var w = this.win;
    return safe(function () { return w.pageYOffset || 0; }, 0);
  };

  Player.prototype.allSeen = function () {
    for (var i = 0; i < this.flow.length; i++) {
      if (this.flow[i].bit !== 100 && !this.state.seen[this.flow[i].bit]) { return false; }
    }
    return true;
  };

  Player.prototype.seenCount = function () {
    var n = 0;
    for (var i = 0; i < this.flow.length; i++) { if (this.state.seen[this.flow[i].bit]) { n++; } }
    return n;
  };

  Player.prototype.renderNav = function () {
    var links = this.doc.querySelectorAll("#toc-list a[data-page]");
    for (var i = 0; i < links.length; i++) {
      var pid = links[i].getAttribute("data-page");
      var page = this.page(pid);
      var seen = page && page.bit >= 0 && this.state.seen[page.bit];
      links[i].classList.toggle("seen", !!seen);
      if (pid === this.current) { links[i].setAttribute("aria-current", "page"); } else { links[i].removeAttribute("aria-current"); }
      var label = links[i].querySelector(".toc-seen");
      if (label) { label.textContent = seen ? " (" + this.ui.seen + ")" : ""; }
    }
    var total = this.flow.length;
    var count = this.seenCount();
    var bar = this.$("progress-bar");
    if (bar) { bar.style.width = (total ? Math.round(100 * count / total) : 0) + "%"; }
    var text = this.$("progress-text");
    if (text) { text.textContent = fmt(this.ui.progress_text, { seen: count, total: total }); }
    var idx = this.flowIndex(this.current);
    var prev = this.$("prev"), next = this.$("next"), pos = this.$("page-pos");
    if (prev) { prev.hidden = idx <= 0; }
    if (next) { next.hidden = idx < 0 || idx >= this.flow.length - 1; }
    if (pos) { pos.textContent = idx >= 0 ? fmt(this.ui.page_of, { n: idx + 1, total: total }) : ""; }
    var cur = this.page(this.current);
    var back = cur && cur.bit < 0 && this.returnTo ? this.page(this.returnTo.page) : null;
    var label = back ? (back.kind === "quiz" ? this.ui.back_quiz : this.ui.back_lesson) : "";
    var backs = this.doc.querySelectorAll("[data-back]");
    for (var b = 0; b < backs.length; b++) {
      backs[b].hidden = !back;
      var labelEl = backs[b].querySelector(".back-label");
      if (labelEl && label) { labelEl.textContent = label; }
    }
  };

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) { return values[k] !== undefined ? values[k] : ""; });
  }

  // ------------------------------------------------------------------ quiz

  Player.prototype.question = function (id) {
    var qs = this.data.questions;
    for (var i = 0; i < qs.length; i++) { if (qs[i].id === id) { return qs[i]; } }
    return null;
  };

  Player.prototype.quizDone = function () {
    var qs = this.data.questions;
    if (!qs.length) { return false; }
    for (var i = 0; i < qs.length; i++) { if (!this.state.answers[qs[i].id]) { return false; } }
    return true;
  };

  Player.prototype.score = function () {
    var qs = this.data.questions;
    var right = 0;
    for (var i = 0; i < qs.length; i++) { if (isCorrect(qs[i], this.state.answers[qs[i].id], this.data.salt)) { right++; } }
    return { right: right, total: qs.length, percent: qs.length ? Math.round(100 * right / qs.length) : 0 };
  };

  Player.prototype.finishedModule = function () {
    return this.allSeen() && (!this.data.questions.length || this.quizDone());
  };

  Player.prototype.answer = function (form) {
    var qid = form.getAttribute("data-question");
    var question = this.question(qid);
    if (!question || this.state.answers[qid]) { return; }
    var inputs = form.querySelectorAll("input");
    var picked = [];
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { picked.push(inputs[i].value); } }
    var result = form.querySelector(".result");
    if (this.review) { return; }
    if (!picked.length) {
      if (result) { result.textContent = this.ui.choose; }
      return;
    }
    this.state.answers[qid] = picked;
    this.showAnswer(form, question, picked);
    this.record(question, picked);
    this.save();
    this.renderSummary();
    this.renderEnd();
  };

  /** Marks and feedback for the chosen options only: their sealed verdicts and feedback are opened
   * here; the options not chosen stay sealed (the page never says which of them is right). */
  Player.prototype.showAnswer = function (form, question, picked) {
    var salt = this.data.salt;
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var oid = inputs[i].value;
      var chosen = picked.indexOf(oid) >= 0;
      inputs[i].checked = chosen;
      inputs[i].disabled = true;
      var verdict = chosen ? unsealed(salt, question.id, oid, (question.verdicts || {})[oid]) : "";
      var li = inputs[i].closest ? inputs[i].closest(".option") : null;
      if (li) {
        li.classList.toggle("picked", chosen);
        li.classList.toggle("is-correct", verdict === "1");
        li.classList.toggle("is-wrong", verdict === "0");
      }
      var fb = this.$("fb-" + question.id + "-" + oid);
      if (fb) {
        if (chosen && !fb.getAttribute("data-open")) {
          // Built by kummi from sanitised HTML (pages.sanitize) before sealing.
          fb.innerHTML = unsealed(salt, question.id, oid + "/feedback", (question.feedback || {})[oid]);
          fb.setAttribute("data-open", "1");
        }
        fb.hidden = !chosen;
      }
    }
    var button = form.querySelector("button.check");
    if (button) { button.hidden = true; }
    var ok = isCorrect(question, picked, salt);
    var result = form.querySelector(".result");
    if (result) {
      result.textContent = ok ? this.ui.correct : this.ui.wrong;
      result.className = "result " + (ok ? "ok" : "not-ok");
    }
  };

  Player.prototype.restoreQuiz = function () {
    var qs = this.data.questions;
    for (var i = 0; i < qs.length; i++) {
      var picked = this.state.answers[qs[i].id];
      var form = this.$("q-" + qs[i].id);
      if (picked && form) { this.showAnswer(form, qs[i], picked); }
      if (this.review && form) { this.lock(form); }
    }
    this.renderSummary();
  };

  /** Review: the recorded attempt cannot be changed (unanswered questions stay unanswered). */
  Player.prototype.lock = function (form) {
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) { inputs[i].disabled = true; }
    var button = form.querySelector("button.check");
    if (button) { button.hidden = true; }
  };

  Player.prototype.renderSummary = function () {
    var box = this.$("quiz-summary"), retry = this.$("quiz-retry");
    if (!box) { return; }
    if (this.review) {
      // What the LMS keeps, never a result computed here: the review shows the recorded attempt.
      var verdict = this.recordedVerdict();
      box.textContent = fmt(this.ui.review_result, { result: this.recordedText() });
      box.className = "quiz-summary" + (verdict ? " " + (verdict === "passed" ? "ok" : "not-ok") : "");
      if (retry) { retry.hidden = true; }
      return;
    }
    if (!this.quizDone()) {
      box.textContent = "";
      if (retry) { retry.hidden = true; }
      return;
    }
    var s = this.score();
    var passed = s.percent >= this.passMark;
    box.textContent = fmt(this.ui.score, { score: s.percent, correct: s.right, total: s.total }) + " " +
      (passed ? this.ui.passed : fmt(this.ui.failed, { pass_mark: this.passMark })) +
      (this.browse ? " " + this.ui.not_recorded : "");
    box.className = "quiz-summary " + (passed ? "ok" : "not-ok");
    if (retry) { retry.hidden = passed; }
  };

  Player.prototype.retry = function () {
    if (this.review) { return; }
    var qs = this.data.questions;
    for (var i = 0; i < qs.length; i++) {
      delete this.state.answers[qs[i].id];
      var form = this.$("q-" + qs[i].id);
      if (!form) { continue; }
      var inputs = form.querySelectorAll("input");
      for (var j = 0; j < inputs.length; j++) {
        inputs[j].checked = false;
        inputs[j].disabled = false;
        var li = inputs[j].closest ? inputs[j].closest(".option") : null;
        if (li) { li.className = "option"; }
        var fb = this.$("fb-" + qs[i].id + "-" + inputs[j].value);
        if (fb) { fb.hidden = true; }
      }
      var button = form.querySelector("button.check");
      if (button) { button.hidden = false; }
      var result = form.querySelector(".result");
      if (result) { result.textContent = ""; result.className = "result"; }
    }
    this.renderSummary();
    this.save();
    this.renderEnd();
    var first = qs.length && this.$("q-" + qs[0].id + "-" + qs[0].options[0]);
    if (first) { safe(function () { first.focus(); }); }
  };

  /** One interaction record per answer, unique id "urn:kummi:<module>:<question>:<n>". */
  Player.prototype.record = function (question, picked) {
    var n = this.answerCount;
    this.answerCount = n + 1;
    this.state.count = this.answerCount;
    if (!this.writes()) { return; }
    var lms = this.lms;
    var v12 = lms.version === "1.2";
    var p = "cmi.interactions." + n + ".";
    var now = new Date();
    var correct = isCorrect(question, picked, this.data.salt);
    var tf = question.cmiType === "true-false";
    // No correct_responses: the package does not know the right answer in plain form.
    var response = tf ? (v12 ? picked[0].charAt(0) : picked[0]) : picked.slice().sort().join(v12 ? "," : "[,]");
    lms.set(p + "id", this.data.interactionPrefix + question.id + ":" + (n + 1), true);
    lms.set(p + "type", question.cmiType, true);
    if (v12) {
      lms.set(p + "time", timestamp12(now), true);
    } else {
      lms.set(p + "timestamp", timestamp2004(now), true);
    }
    lms.set(p + "weighting", "1", true);
    lms.set(p + (v12 ? "student_response" : "learner_response"), response, true);
    lms.set(p + "result", correct ? "correct" : (v12 ? "wrong" : "incorrect"), true);
    var latency = now.getTime() - this.pageShown;
    lms.set(p + "latency", v12 ? time12(latency) : time2004(latency), true);
  };

  // ------------------------------------------------------------------ what the LMS keeps

  /** Status and score as the LMS returns them: 1.2 lesson_status and score.raw; 2004
   * completion_status, success_status and score.scaled (raw when scaled is empty). */
  Player.prototype.readRecorded = function () {
    var lms = this.lms, k = lms.k;
    if (!lms.active || lms.finished) { return this.recorded; }
    var r = { status: lms.get(k.status), success: "", score: "" };
    if (lms.version === "1.2") {
      r.score = lms.get(k.raw);
    } else {
      r.success = lms.get(k.success);
      var scaled = parseFloat(lms.get(k.scaled));
      r.score = isNaN(scaled) ? lms.get(k.raw) : String(Math.round(scaled * 100));
    }
    if (r.score !== "" && isNaN(parseFloat(r.score))) { r.score = ""; }
    if (r.score !== "") { r.score = String(Math.round(parseFloat(r.score))); }
    return r;
  };

  Player.prototype.statusWord = function (value) {
    var word = this.ui["status." + String(value || "").replace(/ /g, "_")];
    return word || "";
  };

  /** "passed", "failed" or "" from what the LMS keeps. */
  Player.prototype.recordedVerdict = function () {
    var r = this.recorded;
    if (!r) { return ""; }
    var v = this.lms.version === "1.2" ? r.status : r.success;
    return v === "passed" || v === "failed" ? v : "";
  };

  /** The recorded status and score in the learner's words. */
  Player.prototype.recordedText = function () {
    var r = this.recorded;
    if (this.standalone || !r) { return this.ui.recorded_standalone; }
    var words = [];
    var status = this.statusWord(r.status);
    if (this.lms.version === "1.2") {
      if (status && r.status !== "not attempted") { words.push(status); }
    } else {
      if (status && r.status !== "unknown" && r.status !== "not attempted") { words.push(status); }
      if (r.success === "passed" || r.success === "failed") { words.push(this.statusWord(r.success)); }
    }
    if (!words.length && r.score === "") { return this.ui.recorded_none; }
    if (r.score === "") { return words.join(", "); }
    return fmt(this.ui.recorded_score, { status: words.join(", ") || this.ui.recorded_none, score: r.score });
  };

  /** The end summary: shown at once when the last requirement is met (every lesson seen and the
   * quiz answered), then on the quiz and the last page. Focus goes to its heading when it appears. */
  Player.prototype.renderEnd = function () {
    var box = this.$("end-summary"), done = this.$("done");
    if (!box) { return; }
    var finished = this.finishedModule();
    var fresh = finished && !this.wasFinished && this.booted;
    this.wasFinished = finished;
    if (fresh) { this.finishedOn = this.current; }
    var cur = this.page(this.current);
    var last = this.flow[this.flow.length - 1];
    var visible = finished && !!cur && cur.bit >= 0 &&
      (this.current === this.finishedOn || cur.kind === "quiz" || (last && last.id === this.current));
    box.hidden = !visible;
    if (done) { done.textContent = visible ? this.ui.done : ""; }
    if (!visible) { return; }
    var total = 0, seen = 0;
    for (var i = 0; i < this.flow.length; i++) {
      if (this.flow[i].kind === "quiz") { continue; }
      total++;
      if (this.state.seen[this.flow[i].bit]) { seen++; }
    }
    var pages = this.$("end-pages");
    if (pages) { pages.textContent = seen + "/" + total; }
    var quiz = this.$("end-quiz");
    if (quiz) {
      var s = this.score();
      var passed = s.percent >= this.passMark;
      var verdict = this.recordedVerdict();
      if (this.review) {
        // the recorded attempt: its recorded result, not one computed again here
        quiz.textContent = verdict && this.recorded.score !== "" ?
          fmt(verdict === "passed" ? this.ui.end_quiz_passed : this.ui.end_quiz_failed,
            { score: this.recorded.score, pass_mark: this.passMark }) : this.recordedText();
      } else {
        quiz.textContent = fmt(passed ? this.ui.end_quiz_passed : this.ui.end_quiz_failed,
          { score: s.percent, pass_mark: this.passMark });
      }
    }
    var recorded = this.$("end-recorded");
    if (recorded) {
      recorded.textContent = this.browse ? this.ui.not_recorded : this.recordedText();
    }
    if (fresh) {
      var title = this.$("end-title");
      if (title && title.focus) {
        safe(function () { title.focus({ preventScroll: true }); });
        safe(function () { title.scrollIntoView({ block: "start" }); });
      }
    }
  };

  // ------------------------------------------------------------------ saving

  /** Write location, suspend_data, status and score, then commit. */
  Player.prototype.save = function () {
    var suspend = encodeState(this.state);
    var location = this.location || "";  // never the glossary: it is not a place to resume
    if (this.standalone) {
      var self = this;
      safe(function () {
        root.localStorage.setItem(self.data.storageKey, JSON.stringify({ s: suspend, l: location }));
      });
      return;
    }
    var lms = this.lms;
    if (!this.writes()) { return; }
    var k = lms.k;
    lms.set(k.location, location.slice(0, 255));
    lms.set(k.suspend, suspend.slice(0, 4096));
    var hasQuiz = this.data.questions.length > 0;
    var done = this.quizDone();
    if (hasQuiz && done) {
      var s = this.score();
      lms.set(k.min, "0");
      lms.set(k.max, "100");
      lms.set(k.raw, String(s.percent));
      if (k.scaled) { lms.set(k.scaled, String(s.percent / 100)); }
    }
    if (lms.version === "1.2") {
      if (hasQuiz) {
        if (done) { lms.set(k.status, this.score().percent >= this.passMark ? "passed" : "failed"); }
      } else if (this.allSeen()) {
        lms.set(k.status, "completed");
      }
    } else {
      if (this.finishedModule()) { lms.set(k.status, "completed"); }
      if (hasQuiz && done) { lms.set(k.success, this.score().percent >= this.passMark ? "passed" : "failed"); }
      var total = this.flow.length;
      if (total) { lms.set(k.progress, String(Math.round(1000 * this.seenCount() / total) / 1000)); }
    }
    // 2004: Moodle restores data only after exit=suspend, so a 2004 SCO always suspends (a later
    // launch must not start from nothing and overwrite "completed"). 1.2 ends normally once done.
    var over = this.finishedModule() && (!hasQuiz || this.score().percent >= this.passMark);
    lms.set(k.exit, lms.version === "1.2" && over ? "" : "suspend");
    lms.commit();
    if (this.finishedModule()) { this.recorded = this.readRecorded(); }  // what the LMS kept
  };

  Player.prototype.finish = function () {
    if (this.finishing) { return; }
    this.finishing = true;
    this.save();
    var lms = this.lms;
    if (lms.active && !lms.finished) {
      if (this.writes()) {
        var ms = new Date().getTime() - this.started;
        lms.set(lms.k.session, lms.version === "1.2" ? time12(ms) : time2004(ms), true);
      }
      lms.finish();
    }
  };

  // ------------------------------------------------------------------ boot

  var api = {
    time12: time12, time2004: time2004, timestamp12: timestamp12, timestamp2004: timestamp2004,
    encodeState: encodeState, decodeState: decodeState, isCorrect: isCorrect, unseal: unsealed, findAPI: findAPI,
    player: null, errors: []
  };
  root.kummiScorm = api;

  function boot() {
    var el = root.document && root.document.getElementById("kummi-data");
    if (!el) { return; }
    var data = safe(function () { return JSON.parse(el.textContent); }, null);
    if (!data) { return; }
    var player = new Player(root.document, root, data);
    api.player = player;
    api.errors = player.lms.errors;
    safe(function () { player.start(); });
  }

  if (root.document) {
    if (root.document.readyState === "loading") {
      root.document.addEventListener("DOMContentLoaded", boot);
    } else {
      boot();
    }
  }
})(this);
