/* kummi competence map: filter the agencies × themes table by theme (checkboxes) and by language
   of service (radio buttons). Hides columns, mentors and rows that are left empty; the table
   stays a table. Without this script the filter stays hidden and the whole map shows. */
(function () {
  "use strict";

  function setup(map) {
    if (map.dataset.ready) return;
    map.dataset.ready = "1";
    var filter = map.querySelector(".kummi-map__filter");
    var table = map.querySelector(".kummi-map__table");
    var scroll = map.querySelector(".kummi-map__scroll");
    var status = map.querySelector(".kummi-map__status");
    var empty = map.querySelector(".kummi-map__empty");
    var boxes = Array.prototype.slice.call(filter.querySelectorAll('input[name="theme"]'));
    var radios = Array.prototype.slice.call(filter.querySelectorAll('input[name="language"]'));
    var total = map.dataset.total;

    function apply() {
      var themes = {};
      boxes.forEach(function (b) { if (b.checked) themes[b.value] = true; });
      var lang = "";
      radios.forEach(function (r) { if (r.checked) lang = r.value; });
      table.querySelectorAll("[data-theme]").forEach(function (el) { el.hidden = !themes[el.dataset.theme]; });
      table.querySelectorAll("li[data-mentor]").forEach(function (li) {
        li.hidden = !!lang && (" " + li.dataset.languages + " ").indexOf(" " + lang + " ") < 0;
      });
      var mentors = {}, agencies = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var shown = false;
        tr.querySelectorAll("td:not([hidden])").forEach(function (td) {
          var any = false;
          td.querySelectorAll("li[data-mentor]:not([hidden])").forEach(function (li) {
            any = true;
            mentors[li.dataset.mentor] = true;
          });
          td.classList.toggle("is-empty", !any);
          shown = shown || any;
        });
        tr.hidden = !shown;
        if (shown) agencies += 1;
      });
      var count = Object.keys(mentors).length;
      scroll.hidden = count === 0;
      empty.hidden = count !== 0;
      status.textContent = map.dataset.msgShown.replace("{mentors}", count).replace("{total}", total).replace("{agencies}", agencies);
    }

    filter.addEventListener("change", apply);
    map.querySelector(".kummi-map__all").addEventListener("click", function () {
      boxes.forEach(function (b) { b.checked = true; });
      apply();
    });
    map.querySelector(".kummi-map__none").addEventListener("click", function () {
      boxes.forEach(function (b) { b.checked = false; });
      apply();
    });
    // The table may scroll sideways: keyboard users reach the region to scroll it.
    scroll.tabIndex = 0;
    filter.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll(".kummi-map").forEach(setup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
