// The IndexedDB library of the offline inspections (issue 16, item 3): idb from the npm registry (pinned by
// package-lock.json), bundled by `make pwa` (build.mjs) into templates/static/kamkap/js/offline/idb.js as one
// classic script that sets window.KamkapIDB; templates/static/kamkap/js/offline/store.js is its one user.
import { deleteDB, openDB } from "idb";

self.KamkapIDB = { openDB, deleteDB };
