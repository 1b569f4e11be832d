// After a failed submit, move keyboard focus to the error summary so it is read out first; its
// links move focus to their field (the browser only scrolls to an anchor).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary || summary.dataset.focused) { return; }
  summary.dataset.focused = "1";
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    if (target.hidden || target.offsetParent === null) {
      // A select replaced by a widget: its visible input takes the focus.
      target = document.querySelector("[data-stands-for='" + target.id + "']") || target;
    }
    target.focus();
    target.scrollIntoView({ block: "center" });
  });
})();
