/* Kamkap page behaviour, wired by data-* attributes (the Content Security Policy refuses inline scripts
   and on*= handlers). Loaded once in <head>; Turbo replaces the body on navigation, so events are
   listened for on the document and the per-page set-up runs on every "turbo:load" (and on
   DOMContentLoaded for pages without Turbo, such as the public complaint pages). */
(function () {
  "use strict";

  /* <select data-kk-autosubmit>: choosing an option submits its form (office picker, fiscal year). */
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-kk-autosubmit]") && select.form) select.form.submit();
  });

  /* <form data-kk-wait="ID">: on submit its buttons are disabled and the element ID (a "please wait"
     line, hidden until then) is shown, so a long upload is not sent twice. */
  document.addEventListener("submit", function (event) {
    var form = event.target, waitId = form.getAttribute && form.getAttribute("data-kk-wait");
    if (!waitId || event.defaultPrevented) return;
    setTimeout(function () {  // after the browser has read the submitter's name and value
      form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
      var wait = document.getElementById(waitId);
      if (wait) wait.hidden = false;
    }, 0);
  });

  /* Inspection form: compare as the inspector types, by the rule of crosscheck.is_discrepancy (strictly
     beyond the tolerance). <div class="kk-reported" data-field="INPUT_ID" data-reported="N"
     data-tolerance="PCT"> inside an element carrying data-kk-far-label and data-kk-near-label. */
  function crosscheck(box) {
    var input = document.getElementById(box.dataset.field), out = box.querySelector(".kk-live");
    var reported = parseFloat(box.dataset.reported), tolerance = parseFloat(box.dataset.tolerance);
    var labels = box.closest("[data-kk-far-label]");
    if (!input || !out || !labels || isNaN(reported)) return;
    var farLabel = labels.dataset.kkFarLabel, nearLabel = labels.dataset.kkNearLabel;
    function show() {
      var observed = parseFloat(input.value);
      if (input.value === "" || isNaN(observed)) { out.textContent = ""; out.className = "kk-live"; return; }
      var far = reported === 0 ? observed !== 0 : Math.abs(observed - reported) * 100 > tolerance * Math.abs(reported);
      var pct = reported === 0 ? "" : (Math.abs(observed - reported) / Math.abs(reported) * 100).toFixed(1) + "% ";
      out.textContent = pct + (isNaN(tolerance) ? "" : (far ? farLabel : nearLabel));
      out.className = "kk-live " + (far && !isNaN(tolerance) ? "kk-error" : "kk-ok");
    }
    input.addEventListener("input", show);
    show();
  }

  /* <form data-kk-filter-by="PARENT_ID" data-kk-filter-options="CHILD_ID">: the child select offers only
     the options whose data-province equals the parent's value (public complaint form: districts of the
     chosen province). */
  function filterOptions(form) {
    var parent = document.getElementById(form.dataset.kkFilterBy);
    var child = document.getElementById(form.dataset.kkFilterOptions);
    if (!parent || !child) return;
    function filter() {
      var code = parent.value;
      Array.prototype.forEach.call(child.options, function (option) {
        var show = !option.value || option.getAttribute("data-province") === code;
        option.hidden = !show; option.disabled = !show;
      });
      var chosen = child.options[child.selectedIndex];
      if (chosen && chosen.disabled) child.value = "";
    }
    parent.addEventListener("change", filter);
    filter();
  }

  function setUp() {
    document.querySelectorAll(".kk-reported[data-field]:not([data-kk-ready])").forEach(function (box) {
      box.setAttribute("data-kk-ready", "");
      crosscheck(box);
    });
    document.querySelectorAll("form[data-kk-filter-by]:not([data-kk-ready])").forEach(function (form) {
      form.setAttribute("data-kk-ready", "");
      filterOptions(form);
    });
  }
  document.addEventListener("turbo:load", setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
