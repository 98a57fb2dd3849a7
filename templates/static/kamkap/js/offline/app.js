// Offline inspections (issue 16, item 3): the page /offline/inspections/ (templates/kamkap/offline_inspections.html),
// drawn from the v1 API and IndexedDB (store.js, window.KamkapOffline). "#" is the list (my inspect tasks, what is
// saved on this device, the queue); "#task=<id>" one saved inspection, answered on the device: each change is
// written to IndexedDB at once, so a reload (or a closed tab) loses nothing. Text only through textContent.
(function () {
  "use strict";
  var root = document.querySelector("[data-kk-offline-app]");
  if (!root) return;
  var S = window.KamkapOffline;
  var M = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-kk-messages] [data-msg]"), function (el) {
    M[el.getAttribute("data-msg")] = el.textContent.trim();
  });
  function t(key) { return M[key] || key; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "hidden") node.hidden = true;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); });
    return node;
  }
  function $(sel) { return document.querySelector(sel); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // --- the network state ----------------------------------------------------------------------------------
  function showNet() {
    var net = $("[data-kk-net]");
    net.textContent = navigator.onLine ? t("online") : t("offline");
    net.setAttribute("data-state", navigator.onLine ? "online" : "offline");
  }

  // --- the list ---------------------------------------------------------------------------------------------
  function drawTasks() {
    var list = $("[data-kk-tasks]");
    var note = $("[data-kk-tasks-note]");
    if (!navigator.onLine) { clear(list); note.textContent = t("tasks_offline"); return Promise.resolve(); }
    return Promise.all([S.myInspections(), S.inspections()]).then(
      function (both) {
        clear(list); // only now: the list stays in place while the server is asked
        note.textContent = "";
        var saved = {};
        both[1].forEach(function (r) { saved[r.task] = true; });
        if (!both[0].length) note.textContent = t("no_tasks");
        both[0].forEach(function (task) {
          var button = el("button", { type: "button", class: "kk-off__btn", "data-kk-make-offline": task.id, text: saved[task.id] ? t("refresh_offline") : t("make_offline") });
          list.appendChild(el("li", { class: "kk-off__card", "data-testid": "server-task", "data-task": task.id }, [
            el("strong", { text: (task.case && task.case.reference) || "#" + task.id }),
            el("span", { class: "kk-off__muted", text: task.title }),
            button,
          ]));
        });
      },
      function (error) {
        clear(list);
        if (error.status === 401 || error.status === 403) {
          note.textContent = t("login") + " ";
          note.appendChild(el("a", { href: "/accounts/login/?next=/offline/inspections/", text: t("login_link") }));
        } else {
          note.textContent = t(error.status === 0 ? "tasks_offline" : "failed_load") + (error.message ? " " + error.message : "");
        }
      }
    );
  }

  function answeredCount(record) {
    var items = (record.detail.needs && record.detail.needs.items) || [];
    var done = items.filter(function (item) {
      var a = record.answers[item.id];
      return a && (item.answer_type === "number" ? a.number !== "" && a.number != null : !!a.value);
    }).length;
    return done + "/" + items.length;
  }

  function drawSaved() {
    return Promise.all([S.inspections(), S.queue(), S.currentWho()]).then(function (both) {
      var records = both[0].filter(function (r) { return S.isMine(r, both[2]); });
      var others = both[0].length - records.length;
      var waiting = {};
      both[1].forEach(function (item) { if (item.status === "pending" || item.status === "sending") waiting[item.task] = true; });
      var list = clear($("[data-kk-saved]"));
      if (!records.length) list.appendChild(el("li", { class: "kk-off__muted", text: t("nothing_saved") }));
      if (others && both[2] === "") list.appendChild(el("li", { class: "kk-off__muted", text: t("login") }));
      else if (others) list.appendChild(el("li", { class: "kk-off__muted", "data-testid": "others-saved", text: t("others_saved") + " " + others }));
      records.forEach(function (record) {
        list.appendChild(el("li", { class: "kk-off__card" + (record.conflict ? " kk-off__card--failed" : ""), "data-testid": "saved-inspection", "data-task": record.task }, [
          el("strong", { text: record.case ? record.case.ref_no : "#" + record.task }),
          el("span", { text: record.factory ? record.factory.name : "" }),
          el("span", { class: "kk-off__muted", text: t("answered") + " " + answeredCount(record) }),
          record.conflict ? el("span", { class: "kk-off__reason", text: t(record.conflict.reason) }) : null,
          el("a", { class: "kk-off__btn", href: "#task=" + record.task, text: t("open") }),
          // Only once nothing of it waits to be sent (a failed one has been seen, and can be exported first).
          waiting[record.task] ? null : el("button", { type: "button", class: "kk-off__btn kk-off__btn--light", "data-kk-remove": record.task, text: t("remove") }),
        ]));
      });
    });
  }

  function drawQueue() {
    return Promise.all([S.queue(), S.inspections(), S.currentWho()]).then(function (both) {
      var refs = {};
      both[1].forEach(function (r) { if (S.isMine(r, both[2])) refs[r.task] = r.case ? r.case.ref_no : "#" + r.task; });
      var items = both[0].filter(function (item) { return refs[item.task] !== undefined; });
      var list = clear($("[data-kk-queue]"));
      if (!items.length) list.appendChild(el("li", { class: "kk-off__muted", text: t("queue_empty") }));
      items.slice().reverse().forEach(function (item) {
        var reason = item.reason ? t(item.reason) + (item.detail ? " " + item.detail : "") : "";
        list.appendChild(el("li", { class: "kk-off__qitem kk-off__qitem--" + item.status, "data-testid": "queue-item", "data-status": item.status, "data-kind": item.kind }, [
          el("span", { class: "kk-off__badge", text: t(item.status) }),
          el("span", { text: t("kind_" + item.kind) + " · " + (refs[item.task] || "#" + item.task) }),
          reason ? el("span", { class: "kk-off__reason", "data-testid": "queue-reason", text: reason }) : null,
        ]));
      });
    });
  }

  function drawList() {
    current = null;
    $("[data-kk-view=list]").hidden = false;
    $("[data-kk-view=inspection]").hidden = true;
    return Promise.all([drawTasks(), drawSaved(), drawQueue()]);
  }

  // --- one inspection -----------------------------------------------------------------------------------
  var current = null; // the record being edited

  function persist(record) {
    return S.saveInspection(record).then(function () {
      var kept = $("[data-kk-kept]");
      if (kept) {
        kept.textContent = t("kept") + " · " + t("answered") + " " + answeredCount(record);
        kept.setAttribute("data-saved", String(Number(kept.getAttribute("data-saved") || 0) + 1));
      }
    });
  }

  function answerOf(record, id) {
    if (!record.answers[id]) record.answers[id] = { value: "", number: "", note: "" };
    return record.answers[id];
  }

  function changed(id, field, value) {
    var a = answerOf(current, id);
    a[field] = value;
    current.touched = current.touched || {};
    current.touched[id] = true;
    return persist(current);
  }

  function answerInput(item, a) {
    var name = "item_" + item.id;
    if (item.answer_type === "yes_no") {
      return el("div", { class: "kk-off__choices", role: "radiogroup" }, ["yes", "no", "na"].map(function (v) {
        var input = el("input", { type: "radio", name: name, value: v, "data-kk-answer": item.id, checked: a.value === v });
        return el("label", { class: "kk-off__choice" }, [input, el("span", { text: t(v) })]);
      }));
    }
    if (item.answer_type === "number") {
      return el("input", { type: "text", inputmode: "decimal", name: name, value: a.number || "", "data-kk-answer": item.id, "data-kk-field": "number", "aria-label": item.question_th });
    }
    if (item.answer_type === "choice") {
      var select = el("select", { name: name, "data-kk-answer": item.id, "aria-label": item.question_th }, [el("option", { value: "", text: t("choose") })]);
      (item.choices || []).forEach(function (c) {
        var value = typeof c === "object" ? c.value : c;
        var label = typeof c === "object" ? c.label || c.value : c;
        select.appendChild(el("option", { value: value, text: label, selected: a.value === String(value) }));
      });
      return select;
    }
    if (item.answer_type === "text") {
      var area = el("textarea", { name: name, rows: "2", "data-kk-answer": item.id, "aria-label": item.question_th });
      area.value = a.value || "";
      return area;
    }
    return null; // a photo item: its photos are its answer
  }

  function thumbnails(container, photos) {
    clear(container);
    photos.forEach(function (photo) {
      var img = el("img", { class: "kk-off__thumb", alt: photo.name, "data-testid": "photo" });
      var reader = new FileReader(); // a data: URL (the CSP allows data: images, not blob:)
      reader.onload = function () { img.src = reader.result; };
      reader.readAsDataURL(photo.blob);
      container.appendChild(el("figure", { class: "kk-off__photo" }, [img, el("figcaption", { text: photo.evidence ? photo.name : photo.name + " · " + t("photo_pending") })]));
    });
  }

  // --- evidence: photos resized on the device (evidence.js: pica), stamped with the inspector's consent, and
  // the signatures (signature_pad); all kept in IndexedDB and queued like any photo -----------------------------
  var CONSENT_KEY = "kk-stamp-consent"; // the same consent as the inspect page's (checklist.js)
  var PHOTO_PX = 1600;

  function stampConsent() {
    try { return window.localStorage.getItem(CONSENT_KEY) === "yes"; } catch (e) { return false; }
  }

  // The time and (when the device gives it) place of photos taken now; null without consent.
  function stampNow(takenAt) {
    if (!stampConsent()) return Promise.resolve(null);
    var stamp = { taken_at: new Date(takenAt || Date.now()).toISOString() };
    if (!navigator.geolocation) return Promise.resolve(stamp);
    return new Promise(function (resolve) {
      navigator.geolocation.getCurrentPosition(
        function (found) {
          stamp.latitude = found.coords.latitude;
          stamp.longitude = found.coords.longitude;
          stamp.accuracy = found.coords.accuracy;
          resolve(stamp);
        },
        function () { resolve(stamp); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function resized(file) {
    var libs = window.KamkapEvidence;
    if (!libs || !/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return libs.resizePhoto(file, PHOTO_PX, 0.82).then(
      function (blob) { return new File([blob], (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg", lastModified: file.lastModified }); },
      function () { return file; }
    );
  }

  var pads = {};

  // Each signer's part: while nothing is kept, the pad (name and position for the representative); once a signature
  // is kept on the device, the kept picture in its place, labelled (kept, waiting to be sent or sent), with "Sign
  // again", which opens the pad once more: a signature kept again replaces the one before it (store.dropUnsent).
  function signaturesBox(kept) {
    var signed = {};
    kept.filter(function (p) { return p.kind === "signature"; }).forEach(function (p) { signed[p.role] = p; });
    var parts = [el("h2", { class: "kk-off__section", text: t("signatures") })];
    ["representative", "inspector"].forEach(function (role) {
      var done = signed[role];
      var fields = [el("h3", { class: "kk-off__q", text: t("sign_" + role) })];
      if (role === "representative") {
        var name = el("input", { type: "text", "data-kk-sign-name": role, value: done ? done.signer || "" : "" });
        var title = el("input", { type: "text", "data-kk-sign-title": role, value: done ? done.title || "" : "" });
        fields.push(el("label", { class: "kk-off__label" }, [el("span", { text: t("rep_name") }), name]));
        fields.push(el("label", { class: "kk-off__label" }, [el("span", { text: t("rep_title") }), title]));
      }
      if (done) { // the signature kept on the device, as a data: image (the CSP allows no blob: image)
        var img = el("img", { class: "kk-off__signed", alt: t("signature_kept") + (done.signer ? ": " + done.signer : "") });
        var reader = new FileReader();
        reader.onload = function () { img.src = reader.result; };
        reader.readAsDataURL(done.blob);
        var label = t("signature_kept") + (done.signer ? ": " + done.signer : "") + " · " + (done.evidence ? t("signature_sent") : t("photo_pending"));
        fields.push(el("figure", { class: "kk-off__signed-box", "data-kk-signed": role, "data-testid": "signed-" + role }, [
          img, el("figcaption", { class: "kk-off__muted", "data-testid": "signature-" + role, text: label }),
          el("button", { type: "button", class: "kk-off__btn kk-off__btn--light", "data-kk-pad-again": role, "data-testid": "sign-again-" + role, text: t("sign_again") }),
        ]));
      }
      var pad = el("div", { class: "kk-off__pad-box", "data-kk-pad-box": role, hidden: !!done }, [
        el("canvas", { class: "kk-off__pad", "data-kk-pad": role, "data-testid": "pad-" + role }),
        el("div", { class: "kk-off__row" }, [
          el("button", { type: "button", class: "kk-off__btn kk-off__btn--light", "data-kk-pad-clear": role, text: t("clear") }),
          el("button", { type: "button", class: "kk-off__btn", "data-kk-pad-keep": role, "data-testid": "keep-" + role, text: done ? t("keep_signature_again") : t("keep_signature") }),
        ]),
      ]);
      fields.push(pad);
      fields.push(el("p", { class: "kk-off__muted", "data-kk-pad-state": role, role: "status" }));
      parts.push(el("div", { class: "kk-off__sign", "data-kk-sign": role, "data-kk-signed-id": done ? String(done.id) : "" }, fields));
    });
    var box = el("section", { class: "kk-off__signatures", "data-testid": "signatures" }, parts);
    window.setTimeout(function () { setUpPads(box); }, 0); // once in the page: the canvas has its size
    return box;
  }

  function setUpPad(canvas) {
    var libs = window.KamkapEvidence;
    if (!libs || !canvas.offsetWidth) return; // a hidden pad is set up when it is shown ("Sign again")
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pads[canvas.getAttribute("data-kk-pad")] = new libs.SignaturePad(canvas, { penColor: "#0d1b4a", minWidth: 0.8, maxWidth: 2.6 });
  }

  function setUpPads(box) {
    pads = {};
    if (!window.KamkapEvidence) return;
    Array.prototype.forEach.call(box.querySelectorAll("[data-kk-pad]"), setUpPad);
    box.setAttribute("data-kk-pads-ready", "");
  }

  function signAgain(role) {
    var padBox = $('[data-kk-pad-box="' + role + '"]');
    padBox.hidden = false;
    setUpPad(padBox.querySelector("[data-kk-pad]"));
    $('[data-kk-pad-again="' + role + '"]').hidden = true;
    padBox.scrollIntoView({ block: "center" });
  }

  function keepSignature(role) {
    var pad = pads[role];
    var state = $('[data-kk-pad-state="' + role + '"]');
    if (!pad || pad.isEmpty() || !current) { state.textContent = t("sign_first"); return; }
    var nameInput = $('[data-kk-sign-name="' + role + '"]'), titleInput = $('[data-kk-sign-title="' + role + '"]');
    var name = nameInput ? nameInput.value.trim() : "";
    if (role === "representative" && !name) { state.textContent = t("rep_name_needed"); return; }
    var taskId = current.task;
    var before = Number($('[data-kk-sign="' + role + '"]').getAttribute("data-kk-signed-id")) || null;
    var canvas = $('[data-kk-pad="' + role + '"]');
    new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); }).then(function (blob) {
      return S.addSignature(taskId, role, blob, name, titleInput ? titleInput.value.trim() : ""); // the inspector's name: the server's
    }).then(function () {
      return before ? S.dropUnsent(taskId, before) : false;
    }).then(function () {
      return S.photosOf(taskId);
    }).then(function (photos) {
      var box = $('[data-testid="signatures"]');
      if (box) box.parentNode.replaceChild(signaturesBox(photos), box); // the kept picture in the pad's place
      var kept = $("[data-kk-kept]");
      if (kept) kept.setAttribute("data-saved", String(Number(kept.getAttribute("data-saved") || 0) + 1));
      if (navigator.onLine) syncNow();
    });
  }

  function drawInspection(taskId) {
    $("[data-kk-view=list]").hidden = true;
    $("[data-kk-view=inspection]").hidden = false;
    var box = clear($("[data-kk-inspection]"));
    return Promise.all([S.inspection(taskId), S.photosOf(taskId), S.currentWho()]).then(function (both) {
      var record = S.isMine(both[0], both[2]) ? both[0] : null;
      current = record || null;
      drawConflict(record);
      if (!record) { box.appendChild(el("p", { text: t("not_found_here") })); return; }
      var needs = record.detail.needs || { items: [] };
      var factory = record.factory || {};
      var place = [factory.address, factory.sub_district && factory.sub_district.name, factory.district && factory.district.name, factory.province && factory.province.name].filter(Boolean).join(" ");
      box.appendChild(el("h1", { text: (record.case && record.case.ref_no) + " · " + (factory.name || "") }));
      box.appendChild(el("dl", { class: "kk-off__facts", "data-testid": "factory" }, [
        el("dt", { text: t("factory") }), el("dd", { text: (factory.name || "") + (factory.reg_no ? " (" + factory.reg_no + ")" : "") }),
        el("dt", { text: t("address") }), el("dd", { text: place }),
        el("dt", { text: t("case") }), el("dd", { text: record.case ? record.case.ref_no + " · " + (record.case.reason_label || "") : "" }),
      ]));
      var earlier = el("ul", { class: "kk-off__earlier", "data-testid": "earlier" });
      (record.earlier || []).forEach(function (c) { earlier.appendChild(el("li", { text: c.ref_no + " · " + (c.inspected_on || "") + " · " + (c.outcome_label || "") })); });
      if (!(record.earlier || []).length) earlier.appendChild(el("li", { class: "kk-off__muted", text: t("no_earlier") }));
      box.appendChild(el("details", {}, [el("summary", { text: t("earlier") }), earlier]));
      box.appendChild(el("p", { class: "kk-off__kept", "data-kk-kept": true, "data-saved": "0", role: "status", text: t("kept") + " · " + t("answered") + " " + answeredCount(record) }));
      var consent = el("input", { type: "checkbox", "data-kk-stamp-consent": true, "data-testid": "stamp-consent-box", checked: stampConsent() });
      box.appendChild(el("label", { class: "kk-off__label kk-off__consent" }, [consent, el("span", { text: " " + t("stamp_consent") })]));

      var section = null;
      needs.items.forEach(function (item) {
        if (item.section !== section) {
          section = item.section;
          box.appendChild(el("h2", { class: "kk-off__section", text: section }));
        }
        var a = answerOf(record, item.id);
        var reported = item.reported ? el("p", { class: "kk-off__reported", text: t("reported") + ": " + item.reported.value + " " + (item.reported.unit || "") + " (" + (item.reported.kind_label || "") + " " + (item.reported.period || "") + ")" }) : null;
        var server = item.answer ? el("p", { class: "kk-off__muted", text: t("server_answer") + ": " + (item.answer.number != null ? item.answer.number : item.answer.value || "") }) : null;
        var note = el("textarea", { rows: "2", name: "note_" + item.id, "data-kk-answer": item.id, "data-kk-field": "note", "aria-label": t("note") });
        note.value = a.note || "";
        var photos = el("div", { class: "kk-off__photos", "data-kk-photos": item.id });
        var file = el("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, "data-kk-photo-input": item.id, "aria-label": t("add_photos") });
        box.appendChild(el("article", { class: "kk-off__item", "data-testid": "item-" + item.code, "data-item": item.id }, [
          el("p", { class: "kk-off__q" }, [el("strong", { text: item.code + " " }), item.question_th + (item.unit ? " (" + item.unit + ")" : "")]),
          reported, server, answerInput(item, a),
          el("label", { class: "kk-off__label" }, [el("span", { text: t("note") }), note]),
          el("label", { class: "kk-off__label kk-off__file" }, [el("span", { text: t("add_photos") }), file]),
          photos,
        ]));
        thumbnails(photos, both[1].filter(function (p) { return p.item === item.id; }));
      });

      box.appendChild(signaturesBox(both[1]));

      var findings = el("textarea", { rows: "3", name: "findings", "data-kk-findings": true });
      findings.value = record.findings || "";
      var day = el("input", { type: "date", name: "inspected_on", value: record.inspectedOn || "", "data-kk-inspected-on": true });
      box.appendChild(el("label", { class: "kk-off__label" }, [el("span", { text: t("findings") }), findings]));
      box.appendChild(el("label", { class: "kk-off__label" }, [el("span", { text: t("inspected_on") }), day]));
      box.appendChild(el("div", { class: "kk-off__bar-bottom" }, [
        el("button", { type: "button", class: "kk-off__btn", "data-kk-queue-kind": "draft", text: t("queue_draft") }),
        el("button", { type: "button", class: "kk-off__btn kk-off__btn--light", "data-kk-queue-kind": "complete", text: t("queue_complete") }),
        el("span", { class: "kk-off__note", "data-kk-queue-note": true, role: "status" }),
      ]));
    });
  }

  function drawConflict(record) {
    var box = $("[data-kk-conflict]");
    box.hidden = !(record && record.conflict);
    if (!box.hidden) $("[data-kk-conflict-reason]").textContent = t(record.conflict.reason) + (record.conflict.detail ? " (" + record.conflict.detail + ")" : "");
    $("[data-kk-copy-note]").textContent = "";
    var attach = $("[data-kk-attach]");
    attach.disabled = !!(record && record.attached);
    $("[data-kk-attach-note]").textContent = record && record.attached ? t("attached") : "";
    var link = $("[data-kk-export]");
    if (link.href && link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
    link.setAttribute("href", "#");
    if (!box.hidden) {
      S.exportOf(record.task).then(function (data) {
        var file = new Blob([JSON.stringify(data, null, 1)], { type: "application/json" });
        link.setAttribute("href", URL.createObjectURL(file));
        link.setAttribute("download", "kamkap-" + (data.case || record.task) + "-offline.json");
      });
    }
  }

  // --- events (delegated: the page is redrawn) -------------------------------------------------------------
  root.addEventListener("input", function (event) {
    var target = event.target;
    if (!current) return;
    if (target.hasAttribute("data-kk-findings")) { current.findings = target.value; persist(current); return; }
    if (target.hasAttribute("data-kk-inspected-on")) { current.inspectedOn = target.value; persist(current); return; }
    var id = target.getAttribute("data-kk-answer");
    if (id && target.type !== "radio") changed(id, target.getAttribute("data-kk-field") || "value", target.value);
  });
  root.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute("data-kk-stamp-consent")) {
      try { window.localStorage.setItem(CONSENT_KEY, target.checked ? "yes" : "no"); } catch (e) { /* private mode */ }
      if (target.checked) stampNow(); // asks the device for its position now, while the inspector is here
      return;
    }
    if (target.type === "radio" && target.hasAttribute("data-kk-answer")) changed(target.getAttribute("data-kk-answer"), "value", target.value);
    var photoItem = target.getAttribute("data-kk-photo-input");
    if (photoItem && current && target.files.length) {
      var taskId = current.task;
      var files = Array.prototype.slice.call(target.files);
      var taken = Math.max.apply(null, files.map(function (f) { return f.lastModified || Date.now(); }));
      stampNow(taken).then(function (stamp) {
        return files.reduce(function (chain, file) {
          return chain.then(function () { return resized(file); }).then(function (small) { return S.addPhoto(taskId, Number(photoItem), small, stamp); });
        }, Promise.resolve());
      })
        .then(function () { return S.photosOf(taskId); })
        .then(function (photos) {
          thumbnails($('[data-kk-photos="' + photoItem + '"]'), photos.filter(function (p) { return p.item === Number(photoItem); }));
          target.value = "";
          var kept = $("[data-kk-kept]");
          if (kept) kept.setAttribute("data-saved", String(Number(kept.getAttribute("data-saved") || 0) + 1));
          if (navigator.onLine) syncNow();
        });
    }
  });
  root.addEventListener("click", function (event) {
    var target = event.target.closest("button, a");
    if (!target) return;
    var make = target.getAttribute("data-kk-make-offline");
    if (make) {
      target.disabled = true;
      target.textContent = t("saving_offline");
      S.makeAvailable(Number(make)).then(
        function () { return drawList(); },
        function (error) { target.disabled = false; target.textContent = t("failed_load") + " " + (M[error.code] || error.message || error.code || ""); }
      );
      return;
    }
    var removed = target.getAttribute("data-kk-remove");
    if (removed) {
      if (window.confirm(t("remove") + "?")) S.remove(Number(removed)).then(drawList);
      return;
    }
    var clearPad = target.getAttribute("data-kk-pad-clear");
    if (clearPad) { if (pads[clearPad]) pads[clearPad].clear(); return; }
    var keepPad = target.getAttribute("data-kk-pad-keep");
    if (keepPad) { keepSignature(keepPad); return; }
    var againPad = target.getAttribute("data-kk-pad-again");
    if (againPad) { signAgain(againPad); return; }
    var kind = target.getAttribute("data-kk-queue-kind");
    if (kind && current) {
      S.enqueue(current.task, kind).then(function () {
        $("[data-kk-queue-note]").textContent = t("queued");
        if (navigator.onLine) syncNow();
      });
      return;
    }
    if (target.hasAttribute("data-kk-sync")) { syncNow(); return; }
    if (target.hasAttribute("data-kk-copy") && current) {
      event.preventDefault();
      S.exportOf(current.task).then(function (data) {
        var text = JSON.stringify(data, null, 1);
        var done = function () { $("[data-kk-copy-note]").textContent = t("copied"); };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, done);
        else done();
      });
      return;
    }
    if (target.hasAttribute("data-kk-attach") && current) {
      var note = $("[data-kk-attach-note]");
      var taskId = current.task;
      target.disabled = true;
      note.textContent = t("attaching");
      S.attachCopy(taskId).then(
        function (attached) {
          if (current && current.task === taskId) current.attached = attached;
          note.textContent = t("attached");
        },
        function (error) {
          target.disabled = false;
          var why = error.status === 0 ? t("reason_network") : error.status === 404 ? t("reason_not_found") : error.status === 401 ? t("reason_login") : error.message || error.code || "";
          note.textContent = t("not_attached") + " " + why;
        }
      );
      return;
    }
    if (target.hasAttribute("data-kk-export") && target.getAttribute("href") === "#") event.preventDefault();
  });

  function syncNow() {
    var note = $("[data-kk-sync-note]");
    return S.sync().then(function (summary) {
      note.textContent = summary.waiting || summary.failed ? t("sync_left") : summary.sent ? t("synced") : "";
      if (!current || $("[data-kk-view=inspection]").hidden) return drawList();
      // On the inspection, nothing is redrawn under the inspector's fingers: only the conflict, if any.
      return S.inspection(current.task).then(function (record) {
        if (record && record.conflict && !current.conflict) {
          current.conflict = record.conflict;
          drawConflict(current);
        }
      });
    });
  }

  function route() {
    var match = /task=(\d+)/.exec(window.location.hash);
    return match ? drawInspection(Number(match[1])) : drawList();
  }

  // The site's worker (project/pwa.py) keeps this page for when there is no signal; it is registered here too
  // for a device that opens this page first (register.js, which also tells the worker who is logged in, is on
  // the site's other pages: this page knows nobody).
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  window.addEventListener("hashchange", route);
  window.addEventListener("online", function () { showNet(); syncNow(); });
  window.addEventListener("offline", function () { showNet(); });
  showNet();
  route().then(function () {
    root.setAttribute("data-kk-ready", "true");
    if (navigator.onLine) syncNow();
  });
})();
