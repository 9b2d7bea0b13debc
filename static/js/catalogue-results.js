/* The catalogue's results and the keyboard (works without it: links and anchors do the rest).
   - Back from a tool page (address ending in #result-<slug>): focus that result's link, so that
     the officer goes on from where they left.
   - After a link swapped the whole page (removing a criterion, clearing all), focus the results:
     the link that was used is gone. */
(function () {
  "use strict";

  function focusResultFromHash() {
    var hash = window.location.hash;
    if (!hash || hash.indexOf("#result-") !== 0) return;
    var card = document.getElementById(decodeURIComponent(hash.slice(1)));
    var link = card && card.querySelector(".tool-card-name a");
    if (link) link.focus();
  }

  // After "load": the browser's own move to the fragment comes after DOMContentLoaded.
  window.addEventListener("load", focusResultFromHash);
  window.addEventListener("hashchange", focusResultFromHash);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (event.target.id === "main" || (target && target.id === "main")) {
      var results = document.getElementById("catalogue-results");
      if (results) results.focus();
    }
  });
})();
