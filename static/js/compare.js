// Says at once when one tool too many is ticked for a comparison. Nothing is unticked: the
// officer chooses which to drop. Without this script the server says the same on submit.
(function () {
  "use strict";
  function update(form) {
    var max = Number(form.getAttribute("data-compare-max"));
    var elsewhere = Number(form.getAttribute("data-compare-elsewhere") || 0);
    var ticked = form.querySelectorAll("input[type=checkbox][name=tools]:checked").length;
    var message = form.querySelector(".compare-limit");
    if (message) {
      message.hidden = elsewhere + ticked <= max;
    }
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name !== "tools" || !target.closest) {
      return;
    }
    var form = target.closest("form[data-compare-max]");
    if (form) {
      update(form);
    }
  });
})();
