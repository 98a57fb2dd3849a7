// The offline page: "Try again" reloads the page that could not be opened (the address is still that page's).
// The page also reloads by itself once the server answers again: when the browser says the network is back,
// and every few seconds while it is shown (the "online" event alone may come before the network really is).
(function () {
  "use strict";
  var EVERY_MS = 5000;
  var reloading = false;

  function reload() {
    if (reloading) return;
    reloading = true;
    var button = document.querySelector("[data-kk-retry]");
    if (button) button.setAttribute("aria-busy", "true");
    window.location.reload();
  }

  function reloadWhenReachable() {
    if (reloading || navigator.onLine === false) return;
    fetch("/health/", { cache: "no-store", credentials: "omit" }).then(
      function (response) {
        if (response.ok) reload();
      },
      function () {}
    );
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-kk-retry]")) reload();
  });
  window.addEventListener("online", reloadWhenReachable);
  window.setInterval(reloadWhenReachable, EVERY_MS);
})();
