/* The inspect page's checklist (templates/inspection/inspect.html), wired by data-* attributes (the Content
   Security Policy refuses inline scripts). <form data-kk-checklist> holds cards <section data-kk-cl-item=TYPE>
   (TYPE: yes_no, number, choice, text, photo) with
     data-kk-cl-fail="no|..."          answers that fail the item (yes/no, choice),
     data-kk-cl-min / data-kk-cl-max   the compliant range of a number (services._judge's rule),
     data-kk-cl-photos=N               photos already kept, data-kk-cl-photo-required when one is needed;
   <progress data-kk-cl-meter>, [data-kk-cl-count] show answered / total as the inspector answers;
   <button data-kk-cl-jump="todo|fail"> scrolls to the next unanswered or failed item;
   [data-kk-cl-camera] holds a photo input: once it has photos, another empty one is added for the next ones.
   An item counts as answered as submitting counts it (services.checklist_gaps): an answer, and its photo
   when one is required. */
(function () {
  "use strict";

  function answered(card) {
    var type = card.getAttribute("data-kk-cl-item");
    if (type === "photo") return true;
    if (card.querySelector('input[type="radio"][name^="item_"]')) {
      return !!card.querySelector('input[type="radio"][name^="item_"]:checked');
    }
    var field = card.querySelector('[name^="item_"]');
    return !!field && field.value.trim() !== "";
  }

  function hasPhoto(card) {
    if (!card.hasAttribute("data-kk-cl-photo-required")) return true;
    if (parseInt(card.getAttribute("data-kk-cl-photos") || "0", 10) > 0) return true;
    return Array.prototype.some.call(card.querySelectorAll('input[type="file"]'), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function failing(card) {
    var checked = card.querySelector('input[type="radio"][name^="item_"]:checked');
    if (checked) {
      var fail = (card.getAttribute("data-kk-cl-fail") || "").split("|");
      return checked.value !== "na" && fail.indexOf(checked.value) !== -1;
    }
    if (card.getAttribute("data-kk-cl-item") !== "number") return false;
    var field = card.querySelector('[name^="item_"]');
    var value = field ? parseFloat(field.value) : NaN;
    if (!field || field.value.trim() === "" || isNaN(value)) return false;
    var min = parseFloat(card.getAttribute("data-kk-cl-min")), max = parseFloat(card.getAttribute("data-kk-cl-max"));
    return (!isNaN(min) && value < min) || (!isNaN(max) && value > max);
  }

  function judge(card) {
    var done = answered(card) && hasPhoto(card);
    card.classList.toggle("kk-cl-done", done);
    card.classList.toggle("kk-cl-failing", failing(card));
    if (done) card.classList.remove("kk-cl-gap");
  }

  function setUp(form) {
    var cards = Array.prototype.slice.call(form.querySelectorAll("[data-kk-cl-item]"));
    var meter = form.querySelector("[data-kk-cl-meter]"), count = form.querySelector("[data-kk-cl-count]");
    var jumpTodo = form.querySelector('[data-kk-cl-jump="todo"]'), jumpFail = form.querySelector('[data-kk-cl-jump="fail"]');

    function tally() {
      var done = cards.filter(function (card) { return card.classList.contains("kk-cl-done"); }).length;
      if (meter) { meter.max = cards.length; meter.value = done; }
      if (count) count.textContent = done + " / " + cards.length;
      if (jumpTodo) jumpTodo.disabled = done === cards.length;
      if (jumpFail) jumpFail.disabled = !cards.some(function (card) { return card.classList.contains("kk-cl-failing"); });
    }

    function jump(kind) {
      var wanted = cards.filter(function (card) {
        return kind === "fail" ? card.classList.contains("kk-cl-failing") : !card.classList.contains("kk-cl-done");
      });
      if (!wanted.length) return;
      // The first one below the card now at the top of the screen; after the last, the first again.
      var next = wanted.find(function (card) { return card.getBoundingClientRect().top > 100; }) || wanted[0];
      cards.forEach(function (card) { card.classList.remove("kk-cl-here"); });
      next.classList.add("kk-cl-here");
      next.scrollIntoView({ block: "start", behavior: "smooth" });
      var first = next.querySelector('[name^="item_"]:not([type="radio"]), input[type="radio"]:checked, input[type="radio"]');
      if (first) first.focus({ preventScroll: true });
    }

    function moreCamera(input) {
      var box = input.closest("[data-kk-cl-camera]");
      if (!box || !input.files || !input.files.length) return;
      var empty = Array.prototype.some.call(box.querySelectorAll('input[type="file"]'), function (other) {
        return !other.files || !other.files.length;
      });
      if (empty) return;
      var another = input.cloneNode(false);
      another.value = "";
      another.id = input.id.replace(/_\d+$/, "") + "_" + box.querySelectorAll('input[type="file"]').length;
      box.appendChild(another);
    }

    function changed(event) {
      var card = event.target.closest && event.target.closest("[data-kk-cl-item]");
      if (!card) return;
      if (event.target.type === "file") moreCamera(event.target);
      judge(card);
      tally();
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-kk-cl-jump]");
      if (button) { event.preventDefault(); jump(button.getAttribute("data-kk-cl-jump")); }
    });
    cards.forEach(function (card) {
      var gap = card.classList.contains("kk-cl-gap");
      judge(card);
      if (gap && !card.classList.contains("kk-cl-done")) card.classList.add("kk-cl-gap");
    });
    tally();
  }

  function setUpAll() {
    document.querySelectorAll("form[data-kk-checklist]:not([data-kk-cl-ready])").forEach(function (form) {
      form.setAttribute("data-kk-cl-ready", "");
      setUp(form);
    });
  }
  document.addEventListener("turbo:load", setUpAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
