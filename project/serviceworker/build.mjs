// Bundles sw.src.js with the Workbox modules into ../../templates/static/kamkap/pwa/sw.js (`make pwa`), and
// idb.src.js with idb into ../../templates/static/kamkap/js/offline/idb.js (the offline inspections' IndexedDB).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const workbox = JSON.parse(readFileSync(new URL("./node_modules/workbox-core/package.json", import.meta.url))).version;

const outfile = new URL("../../templates/static/kamkap/pwa/sw.js", import.meta.url).pathname;

await build({
  entryPoints: [new URL("./sw.src.js", import.meta.url).pathname],
  outfile,
  bundle: true,
  format: "iife",
  target: "es2019",
  minify: true,
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' }, // Workbox's production build: no logging, no dev messages
  banner: { js: `/* Kamkap service worker, built by \`make pwa\` from project/serviceworker/ with Workbox ${workbox}. Do not edit. */` },
});

// Nothing from another host: the one address Workbox keeps in a production build is the "learn more" link of a
// console warning (precaching without revisions, which we never do); it goes, and any other fails the build.
const code = readFileSync(outfile, "utf8").replace(" Learn more at https://bit.ly/wb-precache", "");
const body = code.replace(/^\/\*[^]*?\*\//, "");
const foreign = body.match(/https?:\/\/[^\s"'`)]+/g);
if (foreign) throw new Error(`the service worker names another host: ${foreign.join(", ")}`);
if (!body.includes("self.__WB_MANIFEST")) throw new Error("self.__WB_MANIFEST is gone: project/pwa.py puts the precache list there");
writeFileSync(outfile, code);
console.log(`${outfile}: ${code.length} bytes, Workbox ${workbox}`);

// The offline inspections' IndexedDB library (idb), one classic script (CSP: 'self' only, no modules needed).
const idb = JSON.parse(readFileSync(new URL("./node_modules/idb/package.json", import.meta.url))).version;
const idbfile = new URL("../../templates/static/kamkap/js/offline/idb.js", import.meta.url).pathname;
await build({
  entryPoints: [new URL("./idb.src.js", import.meta.url).pathname],
  outfile: idbfile,
  bundle: true,
  format: "iife",
  target: "es2019",
  minify: true,
  legalComments: "none",
  banner: { js: `/* idb ${idb} (ISC, Jake Archibald), bundled by \`make pwa\` from project/serviceworker/. Do not edit. */` },
});
const idbcode = readFileSync(idbfile, "utf8");
const idbforeign = idbcode.replace(/^\/\*[^]*?\*\//, "").match(/https?:\/\/[^\s"'`)]+/g);
if (idbforeign) throw new Error(`idb.js names another host: ${idbforeign.join(", ")}`);
console.log(`${idbfile}: ${idbcode.length} bytes, idb ${idb}`);

// The evidence libraries (pica, signature_pad), one classic script as well.
const evidenceVersions = ["pica", "signature_pad"].map(
  (name) => `${name} ${JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version}`
);
const evidencefile = new URL("../../templates/static/kamkap/js/evidence.js", import.meta.url).pathname;
await build({
  entryPoints: [new URL("./evidence.src.js", import.meta.url).pathname],
  outfile: evidencefile,
  bundle: true,
  format: "iife",
  target: "es2019",
  minify: true,
  legalComments: "none",
  banner: { js: `/* ${evidenceVersions.join(", ")} (MIT), bundled by \`make pwa\` from project/serviceworker/. Do not edit. */` },
});
const evidencecode = readFileSync(evidencefile, "utf8");
// signature_pad's SVG export names the SVG and XLink namespaces: names, never fetched.
const namespaces = /http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)/g;
const evidenceforeign = evidencecode.replace(/^\/\*[^]*?\*\//, "").replace(namespaces, "").match(/https?:\/\/[^\s"'`)]+/g);
if (evidenceforeign) throw new Error(`evidence.js names another host: ${evidenceforeign.join(", ")}`);
console.log(`${evidencefile}: ${evidencecode.length} bytes, ${evidenceVersions.join(", ")}`);
