// The candidates page: keep the count and the team balance of the selection up to date. Without
// this script the page shows them for the selection it was drawn with.
(function () {
  "use strict";
  var form = document.querySelector("form.candidates");
  if (!form) { return; }
  var count = document.getElementById("selected-count");
  var shown = {
    gender: document.getElementById("balance-gender"),
    affiliation: document.getElementById("balance-affiliation"),
    nationality: document.getElementById("balance-nationality")
  };

  function tally(values) {
    var counts = {};
    values.forEach(function (v) { if (v) { counts[v] = (counts[v] || 0) + 1; } });
    var keys = Object.keys(counts).sort(function (a, b) {
      return counts[b] - counts[a] || a.localeCompare(b);
    });
    return keys.length ? keys.map(function (k) { return k + " " + counts[k]; }).join(", ") : "—";
  }

  function update() {
    var picked = Array.prototype.filter.call(
      form.querySelectorAll('input[name="expert_ids"]'), function (box) { return box.checked; }
    );
    count.textContent = String(picked.length);
    shown.gender.textContent = tally(picked.map(function (b) { return b.dataset.gender; }));
    shown.affiliation.textContent = tally(picked.map(function (b) { return b.dataset.affiliation; }));
    var nations = [];
    picked.forEach(function (b) {
      (b.dataset.nationalities || "").split("|").forEach(function (n) { nations.push(n); });
    });
    shown.nationality.textContent = tally(nations);
  }

  form.addEventListener("change", update);
})();
