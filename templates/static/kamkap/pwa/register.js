// Registers Kamkap's service worker (/sw.js, scope /: project/pwa.py, built by `make pwa`) and tells it who is
// logged in on this page (data-kk-who on this script tag: the person's id, "" for nobody). The worker keeps
// pages for when the signal is gone and throws them away when someone else, or nobody, is logged in; a log-out
// tells it first, so the next person on this device never sees the last one's pages.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var who = (script && script.getAttribute("data-kk-who")) || "";

  // A page loaded before the worker controlled it is named to it (`keep`): the inspect task's page is then kept,
  // and drawn from the device on the next visit (sw.src.js, keptFirst).
  var uncontrolled = !navigator.serviceWorker.controller;

  function tell(worker, person, keep) {
    if (worker) worker.postMessage({ type: "kk-who", who: person, keep: keep || undefined });
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (error) {
    if (window.console) console.warn("Kamkap: the service worker did not register", error);
  });
  navigator.serviceWorker.ready.then(function (registration) {
    tell(registration.active, who, uncontrolled ? window.location.href : "");
  });

  // A page the worker showed from its kept copy (data-kk-kept on <body>: the inspect task's page, sw.src.js) hears
  // what the network answered meanwhile: "same" (the fresh CSRF token goes into its forms), "changed" or "gone"
  // (the task completed or given to someone else, the case cancelled, the session ended). Untouched, the page
  // loads again (once: the worker now holds the fresh answer, or none); once something was typed, what was typed
  // stays on screen, the note [data-kk-stale-note] says why, and its forms are not sent over a page that changed.
  var touched = false;
  function touch(event) {
    if (event.isTrusted && event.target && event.target.form) touched = true;
  }
  document.addEventListener("input", touch, true);
  document.addEventListener("change", touch, true);
  // Turbo Drive (a link followed inside the site) may hear the answer before it draws the kept page: the answers
  // heard since the visit began are kept here and applied once the page is drawn (turbo:load).
  var told = {};
  function fresh(event) {
    var data = event.data || {};
    if (data.type !== "kk-page") return;
    told[data.url] = data;
    apply(data);
  }
  document.addEventListener("turbo:visit", function () {
    told = {};
  });
  document.addEventListener("turbo:load", function () {
    touched = false;
    var data = told[window.location.href.split("#")[0]];
    if (data) apply(data);
  });
  function apply(data) {
    var body = document.body;
    if (!body || !body.hasAttribute("data-kk-kept")) return;
    if (data.url !== window.location.href.split("#")[0]) return;
    body.setAttribute("data-kk-fresh", data.state);
    if (data.token) {
      document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
        input.value = data.token;
      });
    }
    var again = "kk-reloaded " + window.location.pathname;
    if (data.state !== "changed" && data.state !== "gone") {
      window.sessionStorage.removeItem(again);
      return;
    }
    if (!touched && !window.sessionStorage.getItem(again)) {
      window.sessionStorage.setItem(again, "1");
      window.location.reload();
      return;
    }
    var note = document.querySelector("[data-kk-stale-note]");
    if (note) note.hidden = false;
    document.querySelectorAll('form[method="post"] [type="submit"]').forEach(function (button) {
      button.disabled = true;
    });
    document.querySelectorAll('form[method="post"]').forEach(function (form) {
      form.setAttribute("data-kk-stale", "");
    });
  }
  navigator.serviceWorker.addEventListener("message", fresh);
  document.addEventListener(
    "submit",
    function (event) {
      if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-kk-stale")) {
        event.preventDefault();
        var note = document.querySelector("[data-kk-stale-note]");
        if (note) note.scrollIntoView({ block: "center" });
      }
    },
    true
  );
  window.addEventListener("pageshow", function () {
    if (document.body && !document.body.hasAttribute("data-kk-kept")) {
      window.sessionStorage.removeItem("kk-reloaded " + window.location.pathname);
    }
  });
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var action = form && form.getAttribute("action");
      if (action && new URL(action, window.location.href).pathname === "/accounts/logout/") {
        tell(navigator.serviceWorker.controller, "");
      }
    },
    true
  );
})();
