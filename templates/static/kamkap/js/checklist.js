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
   when one is required.
   Evidence (issue 16, item 4), with kamkap/js/evidence.js (pica, signature_pad; loaded when first needed, from
   data-kk-cl-evidence-js): each photo chosen is resized on the device to at most data-kk-cl-photo-px on its
   longer side (a JPEG) before it is sent, and previewed in [data-kk-cl-previews]; once the inspector ticks
   [data-kk-cl-gps] (their consent, remembered on this device) each item's photos are stamped with the time and
   the device's position into the hidden stamps field (forms.StampsField). [data-kk-sign] boxes hold a signature
   pad (canvas[data-kk-sign-pad]) whose drawing goes to the box's hidden input as a PNG data URL. A submit waits
   for the resizing and the position under way. */
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

    setUpEvidence(form);
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

  // --- evidence: photos resized and stamped, signatures ------------------------------------------------------

  var evidenceLoading = null;

  function evidenceLibs(form) {
    if (window.KamkapEvidence) return Promise.resolve(window.KamkapEvidence);
    if (!evidenceLoading) {
      evidenceLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = form.getAttribute("data-kk-cl-evidence-js");
        script.onload = function () { resolve(window.KamkapEvidence); };
        script.onerror = function () { evidenceLoading = null; reject(new Error("evidence.js")); };
        document.head.appendChild(script);
      });
    }
    return evidenceLoading;
  }

  var CONSENT_KEY = "kk-stamp-consent";

  function setUpEvidence(form) {
    var pending = [];
    var stampsField = form.querySelector('input[name="stamps"]');
    var stamps = {};
    try { stamps = JSON.parse((stampsField && stampsField.value) || "{}") || {}; } catch (e) { stamps = {}; }
    var gps = form.querySelector("[data-kk-cl-gps]"), gpsStatus = form.querySelector("[data-kk-cl-gps-status]");
    var longest = parseInt(form.getAttribute("data-kk-cl-photo-px") || "1600", 10);

    function track(promise) {
      pending.push(promise);
      var done = function () { pending.splice(pending.indexOf(promise), 1); };
      promise.then(done, done);
      return promise;
    }

    function saveStamps() { if (stampsField) stampsField.value = JSON.stringify(stamps); }

    function position() {
      return new Promise(function (resolve) {
        if (!navigator.geolocation) { resolve(null); return; }
        navigator.geolocation.getCurrentPosition(
          function (found) { resolve(found.coords); },
          function () { resolve(null); },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }

    function showPosition(coords) {
      if (!gpsStatus) return;
      gpsStatus.textContent = coords
        ? form.getAttribute("data-kk-cl-stamp-at") + " " + coords.latitude.toFixed(5) + ", " + coords.longitude.toFixed(5) +
          " (±" + Math.round(coords.accuracy) + " " + form.getAttribute("data-kk-cl-stamp-m") + ")"
        : form.getAttribute("data-kk-cl-stamp-none");
    }

    function stamp(itemId, takenAt) {
      if (!gps || !gps.checked) return Promise.resolve();
      return track(position().then(function (coords) {
        var entry = { taken_at: new Date(takenAt).toISOString() };
        if (coords) { entry.latitude = coords.latitude; entry.longitude = coords.longitude; entry.accuracy = coords.accuracy; }
        stamps[itemId] = entry;
        saveStamps();
        showPosition(coords);
      }));
    }

    if (gps) {
      try { gps.checked = window.localStorage.getItem(CONSENT_KEY) === "yes"; } catch (e) { /* private mode */ }
      if (gps.checked) track(position().then(showPosition));
      gps.addEventListener("change", function () {
        try { window.localStorage.setItem(CONSENT_KEY, gps.checked ? "yes" : "no"); } catch (e) { /* private mode */ }
        if (gps.checked) { track(position().then(showPosition)); return; }
        stamps = {}; // consent withdrawn: nothing of it is sent
        saveStamps();
        if (gpsStatus) gpsStatus.textContent = "";
      });
    }

    function preview(box, blob) {
      var list = box && box.querySelector("[data-kk-cl-previews]");
      if (!list) return Promise.resolve();
      return createImageBitmap(blob).then(function (bitmap) {
        var canvas = document.createElement("canvas"), side = 144;
        var scale = Math.max(side / bitmap.width, side / bitmap.height);
        canvas.width = side; canvas.height = side;
        var w = bitmap.width * scale, h = bitmap.height * scale;
        canvas.getContext("2d").drawImage(bitmap, (side - w) / 2, (side - h) / 2, w, h);
        var img = document.createElement("img");
        img.src = canvas.toDataURL("image/jpeg", 0.7); // data: (the CSP allows no blob: image)
        img.alt = "";
        list.appendChild(img);
      }).catch(function () {});
    }

    // The photos of one file input, resized (a file that is no photo, or that cannot be read, is kept as chosen).
    function resizeInput(input) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return;
      var card = input.closest("[data-kk-cl-item]"), box = input.closest("[data-kk-cl-camera]");
      var itemId = card && card.getAttribute("data-kk-cl-id");
      var taken = Math.max.apply(null, files.map(function (f) { return f.lastModified || Date.now(); }));
      if (itemId) stamp(itemId, taken);
      track(evidenceLibs(form).then(function (libs) {
        return files.reduce(function (chain, file) {
          return chain.then(function (done) {
            if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return done.concat([file]);
            return libs.resizePhoto(file, longest, 0.82).then(
              function (blob) {
                var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
                var resized = new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
                return preview(box, resized).then(function () { return done.concat([resized]); });
              },
              function () { return done.concat([file]); }
            );
          });
        }, Promise.resolve([]));
      }).then(function (result) {
        var transfer = new DataTransfer();
        result.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
        input.setAttribute("data-kk-cl-resized", "");
      }).catch(function () { /* evidence.js unreachable: the photos go as taken */ }));
    }

    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type === "file" && input.closest("[data-kk-cl-camera]")) resizeInput(input);
    });

    // A submit waits for what is under way (resizing, the position), then goes on with the same button.
    form.addEventListener("submit", function (event) {
      if (!pending.length) return;
      event.preventDefault();
      var submitter = event.submitter;
      Promise.all(pending.slice()).then(function () {
        if (submitter && form.requestSubmit) form.requestSubmit(submitter);
        else form.submit();
      }, function () { form.submit(); });
    });

    setUpSignatures(form);
  }

  function setUpSignatures(form) {
    var card = form.querySelector("[data-kk-cl-sign]");
    if (!card) return;
    var started = false;

    function start() {
      if (started || !card.open) return;
      started = true;
      evidenceLibs(form).then(function (libs) {
        card.querySelectorAll("[data-kk-sign]").forEach(function (box) { pad(libs, box); });
      }).catch(function () { started = false; });
    }

    card.addEventListener("toggle", start);
    start();
  }

  function pad(libs, box) {
    var canvas = box.querySelector("[data-kk-sign-pad]");
    var field = box.querySelector('input[type="hidden"]');
    var signature = new libs.SignaturePad(canvas, { penColor: "#0d1b4a", minWidth: 0.8, maxWidth: 2.6 });

    function size() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = signature.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      signature.clear();
      if (data.length) signature.fromData(data);
    }

    function keep() {
      var drawn = !signature.isEmpty();
      field.value = drawn ? signature.toDataURL("image/png") : "";
      box.classList.toggle("kk-sign-done", drawn);
    }

    size();
    if (field.value) { // shown again after a refused submit: what was drawn is kept
      signature.fromDataURL(field.value, { ratio: 1, width: canvas.offsetWidth, height: canvas.offsetHeight }).then(function () {
        box.classList.add("kk-sign-done");
      }).catch(function () { field.value = ""; });
    }
    signature.addEventListener("endStroke", keep);
    box.setAttribute("data-kk-sign-ready", "");
    box.querySelector("[data-kk-sign-clear]").addEventListener("click", function () { signature.clear(); keep(); });
    window.addEventListener("resize", function () { if (canvas.offsetWidth) { size(); } });
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
