// Folds <details data-collapse-below="48rem"> on narrow screens: the header menu and the
// catalogue's filters. The HTML has them open, so without JavaScript everything stays shown.
(function () {
  "use strict";
  function setUp(details) {
    var query = window.matchMedia("(max-width: " + details.dataset.collapseBelow + ")");
    function apply() {
      details.open = !query.matches;
    }
    apply();
    query.addEventListener("change", apply);
  }
  function start() {
    document.querySelectorAll("details[data-collapse-below]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
