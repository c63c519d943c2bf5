/* kummi quiz: check answers in the browser, show feedback per option and the score.
   The page holds no answers: a question is right when the digest of the chosen options equals
   its data-key; a chosen option's verdict and feedback are sealed in the page and opened here
   (answerkey.js). No network, no storage; works from file:// too. */
(function () {
  "use strict";

  function format(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (_, key) { return key in values ? values[key] : ""; });
  }

  function setup(quiz) {
    if (quiz.dataset.ready) return;
    quiz.dataset.ready = "1";
    var check = quiz.querySelector(".kummi-check");
    var retry = quiz.querySelector(".kummi-retry");
    var result = quiz.querySelector(".kummi-result");
    var questions = Array.prototype.slice.call(quiz.querySelectorAll(".kummi-question"));
    var passMark = parseInt(quiz.dataset.passMark || "0", 10);

    check.addEventListener("click", function () {
      var unanswered = questions.filter(function (q) { return !q.querySelector("input:checked"); });
      if (unanswered.length) {
        result.className = "kummi-result";
        result.textContent = quiz.dataset.msgUnanswered;
        unanswered[0].querySelector("input").focus();
        return;
      }
      var score = 0;
      var salt = quiz.dataset.salt;
      questions.forEach(function (q) {
        var qid = q.id.replace(/^q-/, "");
        var picked = [];
        q.querySelectorAll(".kummi-option input:checked").forEach(function (input) { picked.push(input.value); });
        var allRight = window.kummiAnswerKey(salt, qid, picked) === q.dataset.key;
        q.querySelectorAll(".kummi-option").forEach(function (option) {
          var input = option.querySelector("input");
          var feedback = option.querySelector(".kummi-feedback");
          option.classList.remove("is-right", "is-wrong");
          if (input.checked) {
            var right = window.kummiUnseal(salt, qid, input.value, input.dataset.verdict) === "1";
            var variant = right ? "right" : "wrong";
            option.classList.add(right ? "is-right" : "is-wrong");
            feedback.dataset.state = variant;
            feedback.querySelector(".kummi-verdict").textContent = right ? quiz.dataset.msgRight : quiz.dataset.msgWrong;
            // Build-time escaped text (pages.quiz_feedback), so innerHTML shows it as written.
            var text = window.kummiUnseal(salt, qid, input.value + "/feedback/" + variant, feedback.dataset[variant]);
            feedback.querySelector(".kummi-feedback-text").innerHTML = text ? " " + text : "";
            feedback.hidden = false;
          } else {
            feedback.hidden = true;
          }
          input.disabled = true;
        });
        q.dataset.result = allRight ? "right" : "wrong";
        if (allRight) score += 1;
      });
      var total = questions.length;
      var percent = total ? Math.round((score / total) * 100) : 0;
      var passed = percent >= passMark;
      var values = { score: score, total: total, percent: percent, pass_mark: passMark };
      result.className = "kummi-result " + (passed ? "is-pass" : "is-fail");
      result.textContent = format(quiz.dataset.msgScore, values) + " " + format(passed ? quiz.dataset.msgPass : quiz.dataset.msgFail, values);
      check.hidden = true;
      retry.hidden = false;
      retry.focus();
    });

    retry.addEventListener("click", function () {
      quiz.querySelectorAll(".kummi-option").forEach(function (option) {
        var input = option.querySelector("input");
        input.checked = false;
        input.disabled = false;
        option.classList.remove("is-right", "is-wrong");
        option.querySelector(".kummi-feedback").hidden = true;
      });
      questions.forEach(function (q) { delete q.dataset.result; });
      result.className = "kummi-result";
      result.textContent = "";
      retry.hidden = true;
      check.hidden = false;
      questions[0] && questions[0].querySelector("input").focus();
    });
  }

  function init() {
    document.querySelectorAll(".kummi-quiz").forEach(setup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
