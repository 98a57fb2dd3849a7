// Registers Kamkap's service worker (/sw.js, scope /: project/pwa.py, built by `make pwa`) and tells it who is
// logged in on this page (data-kk-who on this script tag: the person's id, "" for nobody). The worker keeps
// pages for when the signal is gone and throws them away when someone else, or nobody, is logged in; a log-out
// tells it first, so the next person on this device never sees the last one's pages.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var who = (script && script.getAttribute("data-kk-who")) || "";

  function tell(worker, person) {
    if (worker) worker.postMessage({ type: "kk-who", who: person });
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (error) {
    if (window.console) console.warn("Kamkap: the service worker did not register", error);
  });
  navigator.serviceWorker.ready.then(function (registration) {
    tell(registration.active, who);
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
