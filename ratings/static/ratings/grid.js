// The peer-group grid: recount each kind's HTXSNV quota as levels are chosen, without a reload.
// 124-QĐ/TW Điều 12: HTXSNV ≤ floor(ratio × HTTNV) within a group; the server renders the ratio
// and the words (data-ratio, data-template), this file only counts and fills them in.
(function () {
  "use strict";

  function thousandths(text) {
    // The ratio in whole thousandths, so floor(ratio × HTTNV) is integer arithmetic, never 28.999….
    var parts = String(text).split(".");
    var fraction = ((parts[1] || "") + "000").slice(0, 3);
    return parseInt(parts[0] || "0", 10) * 1000 + parseInt(fraction, 10);
  }

  function recount(box) {
    var kind = box.getAttribute("data-kind");
    var excellent = 0, good = 0;
    document.querySelectorAll("select.grid-level").forEach(function (select) {
      if (select.getAttribute("data-kind") !== kind) { return; }
      if (select.value === "HTXSNV") { excellent += 1; }
      if (select.value === "HTTNV") { good += 1; }
    });
    var limit = Math.floor(good * thousandths(box.getAttribute("data-ratio")) / 1000);
    var text = box.getAttribute("data-template")
      .replace("{excellent}", excellent).replace("{good}", good).replace("{limit}", limit);
    box.querySelector(".grid-quota-text").textContent = text;
    box.classList.toggle("quota-broken", excellent > limit);
  }

  function recountAll() {
    document.querySelectorAll(".grid-quota[data-ratio]").forEach(recount);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select.grid-level")) { recountAll(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("select.grid-level")) { recountAll(); }
  });
  document.addEventListener("DOMContentLoaded", recountAll);
})();
