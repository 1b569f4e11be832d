// The search page on a phone: the results come first and the filters fold away under their
// summary ("Filters (3 active)"); on a wide screen they stay open beside the results. Without
// this script the filters are simply open, below the results. A link to a field inside the
// folded filters (the "Change the words or filters" link, an error) opens them.
(function () {
  "use strict";
  var filters = document.getElementById("filters");
  if (!filters) { return; }
  var wide = window.matchMedia("(min-width: 60rem)");
  if (filters.hasAttribute("data-fold-narrow") && !wide.matches) { filters.open = false; }
  wide.addEventListener("change", function (event) {
    if (event.matches) { filters.open = true; }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target || !filters.contains(target)) { return; }
    event.preventDefault();
    filters.open = true;
    target.focus();
    target.scrollIntoView({ block: "center" });
  });
})();
