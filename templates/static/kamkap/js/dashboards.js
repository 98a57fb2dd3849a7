/* Executive dashboards (templates/dashboards/): <select data-kk-dash-autosubmit> submits its form when
   an option is chosen (the fiscal-year and figure pickers). Listened for on the document, so it works
   after Turbo replaces the body; without JavaScript the form's own "Show" button does the same. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-kk-dash-autosubmit]") && select.form) select.form.submit();
  });
})();
