/* Questionnaire section pages: nothing typed is lost to the idle session limit.
 *
 * 1. What is typed is kept in this tab's sessionStorage until it is saved. It is tied to the
 *    tool's version: once any save went through, the page comes back with a newer version and
 *    the kept copy is dropped. If a save could not go through (the session had ended and the
 *    POST was answered with the sign-in page), the copy is still there when the person comes
 *    back to the section after signing in again: it is put back into the form, with a notice.
 * 2. Shortly before the idle limit, a notice offers to stay signed in; its button pings the
 *    keep-alive URL (a same-origin GET that counts as activity). Typing pings it too, at most
 *    every few minutes, because typing is activity the server cannot see.
 * Without this script the form works the same; the server never accepts a write without a
 * signed-in session and a CSRF token, this only keeps the browser's own copy.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-key]");
  if (!form) {
    return;
  }
  var STORE_PREFIX = "saferhub-draft:";
  var storeKey = STORE_PREFIX + form.dataset.draftKey;
  var version = form.dataset.draftVersion;
  var idleMs = Number(form.dataset.idleSeconds) * 1000;
  var warnMs = Number(form.dataset.warnSeconds) * 1000;
  var keepAliveUrl = form.dataset.keepAliveUrl;
  var ACTIVITY_PING_MS = 5 * 60 * 1000;
  var SKIPPED = { file: true, hidden: true, submit: true, button: true, reset: true, image: true };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && !SKIPPED[element.type] && element.name !== "csrfmiddlewaretoken";
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (element) {
      var list = values[element.name] || (values[element.name] = []);
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) {
          list.push(element.value);
        }
      } else {
        list.push(element.value);
      }
    });
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(storeKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(storeKey);
    } catch (error) {
      /* Storage refused (private mode): nothing was kept. */
    }
  }

  var loaded = snapshot();

  function keep() {
    var values = snapshot();
    try {
      if (same(values, loaded)) {
        window.sessionStorage.removeItem(storeKey);
      } else {
        window.sessionStorage.setItem(storeKey, JSON.stringify({ version: version, values: values }));
      }
    } catch (error) {
      /* Storage full or refused: the form still saves normally. */
    }
  }

  function restore(values) {
    var byName = {};
    fields().forEach(function (element) {
      (byName[element.name] = byName[element.name] || []).push(element);
    });
    Object.keys(values).forEach(function (name) {
      var elements = byName[name] || [];
      elements.forEach(function (element, index) {
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = values[name].indexOf(element.value) !== -1;
        } else if (index < values[name].length) {
          element.value = values[name][index];
        }
      });
    });
  }

  var kept = read();
  if (kept && kept.version === version && !same(kept.values, loaded)) {
    restore(kept.values);
    var notice = document.getElementById("draft-restored");
    if (notice) {
      notice.hidden = false;
      var discard = notice.querySelector("[data-draft-discard]");
      if (discard) {
        discard.addEventListener("click", function () {
          restore(loaded);
          forget();
          notice.hidden = true;
        });
      }
    }
  } else if (kept) {
    forget();
  }

  // --- the idle limit ------------------------------------------------------------------------
  var warning = document.getElementById("session-warning");
  var lastContact = Date.now();
  var warnTimer = null;
  var endTimer = null;

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    if (!warning || !idleMs) {
      return;
    }
    warning.hidden = true;
    warnTimer = window.setTimeout(function () {
      warning.hidden = false;
    }, Math.max(idleMs - warnMs, 0));
    endTimer = window.setTimeout(function () {
      warning.querySelector("[data-session-warning]").hidden = true;
      warning.querySelector("[data-session-ended]").hidden = false;
      warning.querySelector("[data-keep-alive]").hidden = true;
      warning.hidden = false;
    }, idleMs);
  }

  function ping() {
    lastContact = Date.now();
    return window
      .fetch(keepAliveUrl, { credentials: "same-origin", redirect: "manual", headers: { Accept: "text/plain" } })
      .then(function (response) {
        if (response.status === 204) {
          schedule();
        }
      })
      .catch(function () {
        /* Offline for a moment: the warning stays, the person can try again. */
      });
  }

  form.addEventListener("input", function () {
    keep();
    if (Date.now() - lastContact > ACTIVITY_PING_MS) {
      ping();
    }
  });
  form.addEventListener("change", keep);

  if (warning) {
    warning.querySelector("[data-keep-alive]").addEventListener("click", ping);
  }
  schedule();
})();
