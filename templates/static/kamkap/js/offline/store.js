// Offline inspections (issue 16, item 3): what the device keeps, and how it is sent. IndexedDB through idb
// (idb.js, window.KamkapIDB), the v1 API with the session cookie and the CSRF token. Sets window.KamkapOffline.
//
// Stores of the "kamkap-offline" database:
//   inspections  one per task (key: the task id): the task with its pinned checklist and the answers on the
//                server (GET tasks/{id}/), the case, the factory, its earlier cases, and the inspector's own
//                answers, notes, findings and day, edited on the device; `conflict` once the API refused it.
//   photos       each photo taken (a Blob, resized on the device) with its stamp (time and place, with the
//                inspector's consent), and each signature drawn (kind "signature", role, signer), by task and
//                item; `evidence` is its id on the server once sent.
//   queue        what waits to be sent, in order: a photo (POST tasks/{id}/evidence/), the answers (…/draft/)
//                or the submission (…/complete/). Each item has its Idempotency-Key, made once when the item
//                is queued and never changed once it has been tried: sending it again (a retry, a lost answer,
//                a second tab) gets the server's first answer back and creates nothing (api/idempotency.py).
//
// The rule on conflicts: the API's 409 (task taken, closed, back in the queue), 403 (not your duty) or 404 (not
// open to you any more) fail the item with the reason; the task's other waiting items fail with it, unsent, and
// the inspection keeps everything for copying or exporting. A 401, a 409 "busy", 429, 5xx or no network leave
// the item waiting (with why) for the next sync.
(function () {
  "use strict";

  var DB_NAME = "kamkap-offline";
  var API = "/api/v1/";
  var CONFLICT_CODES = ["task_taken", "task_closed", "task_unclaimed", "not_your_duty", "permission_denied", "not_found"];
  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = window.KamkapIDB.openDB(DB_NAME, 1, {
        upgrade: function (database) {
          database.createObjectStore("inspections", { keyPath: "task" });
          database.createObjectStore("photos", { keyPath: "id", autoIncrement: true }).createIndex("task", "task");
          database.createObjectStore("queue", { keyPath: "id", autoIncrement: true }).createIndex("task", "task");
        },
      });
    }
    return dbPromise;
  }

  // A UUID v4: crypto.randomUUID where the page is a secure context, else from crypto.getRandomValues.
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function csrfToken() {
    return cookie(document.body.getAttribute("data-kk-csrf-cookie") || "csrftoken");
  }

  // Who is logged in: online, the server's answer (project/offline.py), told to the service worker as register.js
  // does; offline or with no session, what the worker was last told (its "kk-who" cache: "" after a log-out), or
  // null when nobody said.
  // Each saved inspection keeps whose it is: another person on the same device neither sees it nor sends it with
  // their own session (it would fail as a conflict that is not one); it waits, unchanged, for its owner.
  var whoPromise = null;

  function keptWho() {
    if (!window.caches) return Promise.resolve(null);
    return caches.open("kk-who")
      .then(function (store) { return store.match("/__kk_who__"); })
      .then(function (kept) { return kept ? kept.text() : null; })
      .catch(function () { return null; });
  }

  function currentWho() {
    if (!whoPromise) {
      whoPromise = fetch("/offline/inspections/who/", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (body) {
          // Nobody logged in: a session that ended is still its person's device until they log out (which
          // register.js tells the worker), so the last person the worker knows is asked.
          if (!body.who) return keptWho();
          var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
          if (worker) worker.postMessage({ type: "kk-who", who: body.who });
          return body.who;
        })
        .catch(function () {
          whoPromise = null; // asked again once the signal is back
          return keptWho();
        });
    }
    return whoPromise;
  }

  function isMine(record, who) {
    return !record || who === null || record.who == null || record.who === who;
  }

  // --- the API ------------------------------------------------------------------------------------------

  function ApiError(status, body) {
    this.status = status;
    this.code = (body && body.code) || (status ? "http_" + status : "network");
    this.message = (body && body.message) || "";
    this.fields = (body && body.fields) || {};
  }

  function request(method, path, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (options.key) headers["Idempotency-Key"] = options.key;
    var body = options.body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(API + path, { method: method, headers: headers, body: body, credentials: "same-origin", cache: "no-store" }).then(
      function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (!response.ok) throw new ApiError(response.status, data);
          return data;
        });
      },
      function () { throw new ApiError(0, null); }
    );
  }

  function get(path) { return request("GET", path); }

  // The person's open inspect steps (the first page of their tasks, soonest due first).
  function myInspections() {
    return get("tasks/?page_size=100").then(function (page) {
      var rows = (page && (page.results || page)) || [];
      return rows.filter(function (task) { return task.flow === "InspectionFlow" && task.step === "inspect"; });
    });
  }

  // Everything the inspection needs offline, from the API; the inspector's edits on the device are kept.
  function makeAvailable(taskId) {
    var fetched = {};
    // Ask the browser not to evict this origin's storage under pressure (answers may wait there for days).
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    return get("tasks/" + taskId + "/")
      .then(function (task) {
        fetched.task = task;
        return get("cases/" + task.case.id + "/");
      })
      .then(function (kase) {
        fetched.case = kase;
        return Promise.all([
          get("factories/" + kase.factory.id + "/"),
          get("cases/?factory=" + kase.factory.id + "&is_open=false&page_size=10"),
        ]);
      })
      .then(function (both) {
        fetched.factory = both[0];
        fetched.earlier = ((both[1] && (both[1].results || both[1])) || []).filter(function (c) { return c.id !== fetched.case.id; });
        return currentWho();
      })
      .then(function (who) {
        fetched.who = who || null;
        return db();
      })
      .then(function (database) {
        return database.get("inspections", taskId).then(function (kept) {
          if (!isMine(kept, fetched.who)) throw new ApiError(0, { code: "others_saved", message: "" }); // never overwrite theirs
          var needs = fetched.task.needs || { items: [] };
          var record = kept || { task: taskId, answers: {}, touched: {}, findings: needs.findings || "", inspectedOn: needs.inspected_on || "", conflict: null };
          if (!kept || !Object.keys(kept.touched || {}).length) {
            record.answers = {};
            needs.items.forEach(function (item) {
              if (item.answer) {
                record.answers[item.id] = { value: item.answer.value || "", number: item.answer.number == null ? "" : String(item.answer.number), note: item.answer.note || "" };
              }
            });
            record.findings = needs.findings || "";
            record.inspectedOn = needs.inspected_on || "";
          }
          if (fetched.who) record.who = fetched.who;
          record.detail = fetched.task;
          record.case = fetched.case;
          record.factory = fetched.factory;
          record.earlier = fetched.earlier;
          record.savedAt = new Date().toISOString();
          return database.put("inspections", record).then(function () { return record; });
        });
      });
  }

  // --- the device's copy --------------------------------------------------------------------------------

  function inspections() { return db().then(function (d) { return d.getAll("inspections"); }); }
  function inspection(taskId) { return db().then(function (d) { return d.get("inspections", taskId); }); }
  // The page's edits; a conflict the sync recorded meanwhile, and the copy's attaching, are kept (the page's copy
  // may predate them).
  function saveInspection(record) {
    return db().then(function (d) {
      var tx = d.transaction("inspections", "readwrite");
      return tx.store.get(record.task).then(function (kept) {
        if (kept && kept.conflict && !record.conflict) record.conflict = kept.conflict;
        if (kept && kept.attachKey && !record.attachKey) record.attachKey = kept.attachKey; // the copy attached, or tried
        if (kept && kept.attached && !record.attached) record.attached = kept.attached;
        return Promise.all([tx.store.put(record), tx.done]);
      });
    });
  }

  function markConflict(d, taskId, conflict) {
    var tx = d.transaction("inspections", "readwrite");
    return tx.store.get(taskId).then(function (kept) {
      if (!kept) return tx.done;
      kept.conflict = conflict;
      return Promise.all([tx.store.put(kept), tx.done]);
    });
  }
  function photosOf(taskId) { return db().then(function (d) { return d.getAllFromIndex("photos", "task", taskId); }); }
  function queue() { return db().then(function (d) { return d.getAll("queue"); }); }

  function remove(taskId) {
    return db().then(function (d) {
      var tx = d.transaction(["inspections", "photos", "queue"], "readwrite");
      return Promise.all([
        tx.objectStore("inspections").delete(taskId),
        tx.objectStore("photos").index("task").getAllKeys(taskId).then(function (keys) {
          return Promise.all(keys.map(function (k) { return tx.objectStore("photos").delete(k); }));
        }),
        tx.objectStore("queue").index("task").getAllKeys(taskId).then(function (keys) {
          return Promise.all(keys.map(function (k) { return tx.objectStore("queue").delete(k); }));
        }),
        tx.done,
      ]);
    });
  }

  // A photo of an item: kept as a Blob (resized on the device by the page), with its stamp when the inspector
  // agreed to one ({taken_at, latitude, longitude, accuracy}), and queued for sending with its own key.
  function addPhoto(taskId, itemId, file, stamp) {
    return keepEvidence(taskId, { item: itemId, name: file.name || "photo.jpg", type: file.type, blob: file, stamp: stamp || null });
  }

  // A signature drawn on the device (a PNG Blob): the factory representative's acknowledgement or the
  // inspector's; kept and queued as evidence like a photo.
  function addSignature(taskId, role, blob, name, title) {
    return keepEvidence(taskId, { item: null, kind: "signature", role: role, signer: name || "", title: title || "", name: "signature-" + role + ".png", type: "image/png", blob: blob });
  }

  // A signature drawn again replaces the one kept before it on the device: the earlier one leaves, with its queue
  // item, while it has not been sent (pending or failed); once sent or on its way it stays (the server keeps both
  // and the report shows the latest). Resolves to whether it was dropped.
  function dropUnsent(taskId, photoId) {
    return db().then(function (d) {
      var tx = d.transaction(["photos", "queue"], "readwrite");
      var photos = tx.objectStore("photos"), items = tx.objectStore("queue");
      return Promise.all([photos.get(photoId), items.index("task").getAll(taskId)]).then(function (found) {
        var queued = found[1].filter(function (i) { return i.kind === "evidence" && i.photo === photoId; });
        var unsent = found[0] && !found[0].evidence && queued.every(function (i) { return i.status === "pending" || i.status === "failed"; });
        var writes = unsent ? [photos.delete(photoId)].concat(queued.map(function (i) { return items.delete(i.id); })) : [];
        return Promise.all(writes).then(function () { return tx.done; }).then(function () { return !!unsent; });
      });
    });
  }

  function keepEvidence(taskId, fields) {
    return db().then(function (d) {
      var tx = d.transaction(["photos", "queue"], "readwrite");
      var photo = Object.assign({ task: taskId, addedAt: new Date().toISOString(), evidence: null }, fields);
      return tx.objectStore("photos").add(photo).then(function (photoId) {
        var item = { task: taskId, kind: "evidence", photo: photoId, key: newKey(), status: "pending", tried: false, reason: "", createdAt: photo.addedAt };
        return tx.objectStore("queue").add(item).then(function () { return tx.done; });
      });
    });
  }

  // The answers as the API's inspect payload: the items the inspector changed on the device, findings, day.
  function payloadOf(record) {
    var answers = Object.keys(record.touched || {}).map(function (id) {
      var a = record.answers[id] || {};
      var item = (record.detail.needs.items || []).filter(function (i) { return String(i.id) === String(id); })[0];
      var row = { item: Number(id), note: a.note || "" };
      if (item && item.answer_type === "number") row.number = a.number === "" || a.number == null ? null : a.number;
      else if (item && item.answer_type !== "photo") row.value = a.value || "";
      return row;
    });
    var body = { answers: answers, findings: record.findings || "" };
    if (record.inspectedOn) body.inspected_on = record.inspectedOn;
    return body;
  }

  // Queue the answers (kind "draft") or the submission ("complete"). A waiting item of the same kind that was
  // never tried takes the new answers under its key (the server has never seen it); once tried, it is left
  // as it is (it may have reached the server) and a new item with a new key follows it.
  function enqueue(taskId, kind) {
    return db().then(function (d) {
      var tx = d.transaction(["inspections", "queue"], "readwrite");
      return tx.objectStore("inspections").get(taskId).then(function (record) {
        var body = payloadOf(record);
        return tx.objectStore("queue").index("task").getAll(taskId).then(function (items) {
          var open = items.filter(function (i) { return i.kind === kind && i.status === "pending" && !i.tried; })[0];
          var write;
          if (open) {
            open.body = body;
            write = tx.objectStore("queue").put(open);
          } else {
            write = tx.objectStore("queue").add({ task: taskId, kind: kind, body: body, key: newKey(), status: "pending", tried: false, reason: "", createdAt: new Date().toISOString() });
          }
          return write.then(function () { return tx.done; });
        });
      });
    });
  }

  // --- sending --------------------------------------------------------------------------------------------

  function send(d, item) {
    var path = "tasks/" + item.task + "/" + item.kind + "/";
    if (item.kind !== "evidence") return request("POST", path, { key: item.key, body: item.body });
    return d.get("photos", item.photo).then(function (photo) {
      var form = new FormData();
      form.append("file", photo.blob, photo.name);
      if (photo.item) form.append("item", String(photo.item));
      if (photo.kind === "signature") {
        form.append("signer_role", photo.role);
        form.append("signer_name", photo.signer || "");
        form.append("signer_title", photo.title || "");
      }
      var stamp = photo.stamp || {};
      ["taken_at", "latitude", "longitude", "accuracy"].forEach(function (field) {
        if (stamp[field] != null) form.append(field, String(stamp[field]));
      });
      return request("POST", path, { key: item.key, body: form }).then(function (evidence) {
        photo.evidence = evidence.id;
        return d.put("photos", photo).then(function () { return evidence; });
      });
    });
  }

  function outcomeOf(error) {
    // What the refusal means for the item: "conflict" (fails, and the task's other items with it),
    // "invalid" (fails alone), "wait" (stays waiting; the sync stops: no signal, log in, server busy).
    if (error.status === 0) return { kind: "wait", reason: "reason_network" };
    if (error.status === 401 || error.code === "not_authenticated" || error.code === "authentication_failed") return { kind: "wait", reason: "reason_login" };
    if (error.status === 403 && /CSRF/i.test(error.message)) return { kind: "wait", reason: "reason_login" };
    if (CONFLICT_CODES.indexOf(error.code) >= 0 || error.status === 404) return { kind: "conflict", reason: "reason_" + (error.code === "permission_denied" ? "not_your_duty" : error.status === 404 ? "not_found" : error.code) };
    if (error.status === 400 || error.status === 422) return { kind: "invalid", reason: "reason_invalid" };
    return { kind: "wait", reason: "reason_later" };
  }

  function serverWords(error) {
    var words = error.message || "";
    Object.keys(error.fields || {}).forEach(function (f) { words += " " + f + ": " + error.fields[f].join(" "); });
    return words.trim();
  }

  var running = null;

  // Sends what waits, in the order it was queued; one run at a time (in this page, and across tabs where the
  // browser has Web Locks). Resolves to {sent, failed, waiting}.
  function sync() {
    if (running) return running;
    var work = function () {
      var summary = { sent: 0, failed: 0, waiting: 0 };
      var who = null;
      return currentWho().then(function (found) { who = found; return db(); }).then(function (d) {
        return d.getAll("queue").then(function (items) {
          var todo = items.filter(function (i) { return i.status === "pending" || i.status === "sending"; });
          var blocked = {};
          var stop = false;
          return todo.reduce(function (chain, item) {
            return chain.then(function () {
              if (stop) { summary.waiting += 1; return null; }
              return d.get("inspections", item.task).then(function (record) {
                if (!isMine(record, who)) return null; // someone else's: left waiting for them
                var conflict = blocked[item.task] || (record && record.conflict);
                if (conflict) {
                  item.status = "failed";
                  item.reason = "reason_blocked";
                  item.detail = "";
                  summary.failed += 1;
                  return d.put("queue", item);
                }
                item.tried = true;
                item.status = "sending";
                return d.put("queue", item)
                  .then(function () { return send(d, item); })
                  .then(
                    function (answer) {
                      item.status = "sent";
                      item.reason = "";
                      item.detail = "";
                      item.sentAt = new Date().toISOString();
                      item.result = answer && answer.id ? answer.id : null;
                      summary.sent += 1;
                      return d.put("queue", item);
                    },
                    function (error) {
                      if (!(error instanceof ApiError)) error = new ApiError(0, null);
                      var outcome = outcomeOf(error);
                      item.reason = outcome.reason;
                      item.detail = serverWords(error);
                      item.code = error.code;
                      item.httpStatus = error.status;
                      if (outcome.kind === "wait") {
                        item.status = "pending";
                        summary.waiting += 1;
                        stop = true;
                        return d.put("queue", item);
                      }
                      item.status = "failed";
                      summary.failed += 1;
                      if (outcome.kind !== "conflict") return d.put("queue", item);
                      blocked[item.task] = { reason: outcome.reason, code: error.code, detail: item.detail, at: new Date().toISOString() };
                      return d.put("queue", item).then(function () { return markConflict(d, item.task, blocked[item.task]); });
                    }
                  );
              });
            });
          }, Promise.resolve());
        });
      }).then(function () { return summary; });
    };
    var run = navigator.locks && navigator.locks.request ? navigator.locks.request("kamkap-offline-sync", work) : work();
    running = run.then(
      function (summary) { running = null; return summary; },
      function (error) { running = null; throw error; }
    );
    return running;
  }

  // The device's copy of one inspection as plain data (answers with the questions, photos by name), to copy
  // or to export as a JSON file.
  function exportOf(taskId) {
    return Promise.all([inspection(taskId), photosOf(taskId), queue()]).then(function (all) {
      var record = all[0];
      var items = (record.detail.needs.items || []).map(function (item) {
        var a = record.answers[item.id] || {};
        return { item: item.id, code: item.code, question: item.question_th, value: a.value || "", number: a.number || "", note: a.note || "", photos: all[1].filter(function (p) { return p.item === item.id; }).map(function (p) { return p.name; }) };
      });
      return {
        task: record.task, case: record.case && record.case.ref_no, factory: record.factory && record.factory.name,
        findings: record.findings, inspected_on: record.inspectedOn, conflict: record.conflict, answers: items,
        queue: all[2].filter(function (q) { return q.task === taskId; }).map(function (q) { return { kind: q.kind, status: q.status, key: q.key, reason: q.reason, detail: q.detail || "" }; }),
        exported_at: new Date().toISOString(),
      };
    });
  }

  // The device's copy attached to the case (POST tasks/{id}/device-copy/), after a conflict: the answers as the
  // device keeps them, the photos by name (their files stay here). Its Idempotency-Key is made once and kept
  // with the inspection, so a retry after a lost answer attaches it once; `attached` once the server has it.
  var COPY_REASONS = ["task_taken", "task_closed", "task_unclaimed", "not_your_duty", "not_found"];

  function copyOf(record, photos) {
    var reason = String((record.conflict && record.conflict.reason) || "").replace(/^reason_/, "");
    var answers = [];
    (record.detail.needs.items || []).forEach(function (item) {
      var a = record.answers[item.id] || {};
      var names = photos.filter(function (p) { return p.item === item.id; }).map(function (p) { return String(p.name).slice(0, 255); });
      var number = a.number == null ? "" : String(a.number);
      if (!a.value && !number && !a.note && !names.length) return;
      answers.push({ item: item.id, value: a.value || "", number: number, note: a.note || "", photos: names });
    });
    var body = { reason: COPY_REASONS.indexOf(reason) >= 0 ? reason : "task_closed", answers: answers, findings: record.findings || "" };
    if (record.inspectedOn) body.inspected_on = record.inspectedOn;
    return body;
  }

  function attachCopy(taskId) {
    return db().then(function (d) {
      return Promise.all([d.get("inspections", taskId), d.getAllFromIndex("photos", "task", taskId)]).then(function (both) {
        var record = both[0];
        if (record.attached) return record.attached;
        if (!record.attachKey) record.attachKey = newKey();
        return d.put("inspections", record)
          .then(function () { return request("POST", "tasks/" + taskId + "/device-copy/", { key: record.attachKey, body: copyOf(record, both[1]) }); })
          .then(function (copy) {
            var tx = d.transaction("inspections", "readwrite");
            return tx.store.get(taskId).then(function (kept) {
              kept.attached = { id: copy.id, at: copy.created_at };
              return Promise.all([tx.store.put(kept), tx.done]).then(function () { return kept.attached; });
            });
          });
      });
    });
  }

  window.KamkapOffline = {
    db: db, newKey: newKey, currentWho: currentWho, isMine: isMine, myInspections: myInspections, makeAvailable: makeAvailable, inspections: inspections,
    inspection: inspection, saveInspection: saveInspection, photosOf: photosOf, addPhoto: addPhoto, addSignature: addSignature, dropUnsent: dropUnsent, queue: queue,
    enqueue: enqueue, sync: sync, remove: remove, exportOf: exportOf, payloadOf: payloadOf, ApiError: ApiError, attachCopy: attachCopy,
  };
})();
