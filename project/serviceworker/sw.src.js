// Kamkap's service worker (source). `make pwa` bundles it with the Workbox modules from the npm registry into
// templates/static/kamkap/pwa/sw.js; project/pwa.py serves that at /sw.js (scope /) and puts the precache list
// in place of self.__WB_MANIFEST on every request, from the static files as they are now, so a changed
// stylesheet is fetched again without a rebuild (only a change to this file or to Workbox needs `make pwa`).
//
// What is cached, and what never is:
// - precache (cache first, kept up to date by revision): our CSS, JS, fonts and icons, the offline page and the
//   offline inspections' page (project/offline.py, its data in IndexedDB);
// - other GET /static/ files and the JavaScript translations (/jsi18n/): stale-while-revalidate (the same
//   for every user);
// - the inspect task's page: stale-while-revalidate, what changed meanwhile told to the page (keptFirst below);
// - other pages (GET navigations, and Turbo's fetches of them): network first, however slow (a kept copy only when
//   the network fails, never a stale one in place of a slow answer); kept in the "kk-pages" cache for when
//   the signal is gone, and emptied when another person (or nobody) is logged in on this device, so one
//   person's pages are never shown to the next; with no network and no copy, the offline page;
// - form posts (POST navigations): network only, the offline page when there is no network;
// - everything else, /api/ above all (GET and POST): not handled here, straight to the network, never cached.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst, NetworkOnly, StaleWhileRevalidate } from "workbox-strategies";

const OFFLINE_URL = "/offline/";
const PAGES = "kk-pages";
const STATIC = "kk-static";
const WHO = "kk-who"; // one entry: the person whose pages are in PAGES
const NOT_PAGES = ["/api/", "/accounts/logout/", "/sw.js", "/manifest.webmanifest", "/media/"];

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
// The offline inspections' page (project/offline.py): always the precached copy, however the browser asks for it
// (#task=… picks the inspection on the device). Matched by its URL alone: Django's answer varies on Cookie and
// Accept-Language, which a navigation carries and the precache's own request did not, so the precache route's
// match would miss it. Registered before precacheAndRoute's route, so it answers first.
const OFFLINE_INSPECTIONS_URL = "/offline/inspections/";
registerRoute(
  ({ request, url }) => request.method === "GET" && url.origin === self.location.origin && url.pathname === OFFLINE_INSPECTIONS_URL,
  async ({ request }) => (await matchPrecache(OFFLINE_INSPECTIONS_URL)) || fetch(request),
);
precacheAndRoute(self.__WB_MANIFEST);

// A page: a navigation, or Turbo's fetch of one (Viewflow's pages move by Turbo Drive, whose requests ask for
// "text/html, application/xhtml+xml"; when such a fetch fails, Turbo loads the address as a navigation).
const isPage = ({ request, url }) =>
  url.origin === self.location.origin &&
  !NOT_PAGES.some((p) => url.pathname.startsWith(p)) &&
  (request.mode === "navigate" || (request.destination === "" && (request.headers.get("Accept") || "").startsWith("text/html")));

// Only whole HTML pages answered 200 are kept (not redirects to the log-in page, errors, PDFs or downloads).
const htmlPagesOnly = {
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && !response.redirected &&
    (response.headers.get("Content-Type") || "").startsWith("text/html") ? response : null,
};

registerRoute(({ request, url }) => request.method === "GET" && isPage({ request, url }) && KEPT_FIRST.test(url.pathname), keptFirst);
registerRoute(isPage, new NetworkFirst({ cacheName: PAGES, plugins: [htmlPagesOnly] }), "GET");
// A post to the inspect task's page (save a draft, submit) throws its kept copy away first: the page it redirects to
// comes from the network, never the copy from before the post.
const networkOnly = new NetworkOnly();
registerRoute(
  isPage,
  async (options) => {
    if (KEPT_FIRST.test(options.url.pathname)) await (await caches.open(PAGES)).delete(options.url.href, { ignoreVary: true });
    return networkOnly.handle(options);
  },
  "POST",
);
registerRoute(
  ({ url }) => url.origin === self.location.origin && (url.pathname.startsWith("/static/") || url.pathname === "/jsi18n/"),
  new StaleWhileRevalidate({ cacheName: STATIC }),
);

// The inspect task's page (the checklist an inspector opens again and again inside a factory, on a poor signal):
// stale-while-revalidate, so a repeat visit draws at once. The kept copy of this person's page is shown, marked
// data-kk-kept on its <body>, while the network is asked; the answer replaces the kept copy and is told to the page
// (register.js, which acts on it): "same" (the page as kept, but for the CSRF token, handed over), "changed" (the
// page reloads, or if something was typed already, keeps it on screen and stops the form from being sent), or
// "gone": no page any more for this person (the task completed, given to someone else, the case cancelled, the
// session ended: a redirect or an error), the kept copy is thrown away and the page is left as for "changed" —
// the offline inspections' conflict rule on the online page: nothing sent over a task that changed meanwhile.
// With no kept copy, the network (as any page); with no network, the kept copy, or the offline page.
const KEPT_FIRST = /^\/inspection\/flow\/\d+\/inspect\/\d+\/execute\/$/;
const CSRF_TOKEN = /(name="csrfmiddlewaretoken" value=")([^"]*)"/g;
const isWholePage = (response) =>
  response && response.status === 200 && !response.redirected && response.type !== "opaqueredirect" &&
  (response.headers.get("Content-Type") || "").startsWith("text/html");
// A page saying something once (Django's messages in Viewflow's snackbar: "Draft saved." after a post) is shown, not
// kept: a kept copy would say it again on every visit.
const SNACKBAR = /<vf-snackbar[^>]*>([^]*?)<\/vf-snackbar>/;
const saysSomething = (text) => ((text.match(SNACKBAR) || [])[1] || "").trim() !== "";

function markedKept(kept, text) {
  const headers = new Headers(kept.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(text.replace(/<body\b/, "<body data-kk-kept"), { status: 200, statusText: "OK", headers });
}

async function revalidate(cache, request, fresh, keptText, clientId) {
  let told;
  try {
    const response = await fresh;
    const text = isWholePage(response) ? await response.clone().text() : null;
    if (text === null) {
      await cache.delete(request, { ignoreVary: true });
      told = { state: "gone" };
    } else if (saysSomething(text)) {
      await cache.delete(request, { ignoreVary: true });
      told = { state: "changed" };
    } else {
      await cache.put(request, response);
      const token = (text.match(/name="csrfmiddlewaretoken" value="([^"]*)"/) || [])[1] || "";
      const same = text.replace(CSRF_TOKEN, "$1\"") === keptText.replace(CSRF_TOKEN, "$1\"");
      told = { state: same ? "same" : "changed", token };
    }
  } catch (error) {
    told = { state: "offline" }; // no network: the kept copy is all there is
  }
  const client = clientId ? await self.clients.get(clientId) : null;
  if (client) client.postMessage({ type: "kk-page", url: request.url, ...told });
}

async function keptFirst({ event, request }) {
  const cache = await caches.open(PAGES);
  const kept = await cache.match(request, { ignoreVary: true }); // this person's (PAGES is emptied for another)
  const fresh = fetch(request);
  if (!kept) {
    const response = await fresh; // no network and no copy: the catch handler's offline page
    if (isWholePage(response) && !saysSomething(await response.clone().text())) await cache.put(request, response.clone());
    return response;
  }
  const text = await kept.text();
  event.waitUntil(revalidate(cache, request, fresh, text, event.resultingClientId || event.clientId));
  return markedKept(kept, text);
}

setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const offline = await matchPrecache(OFFLINE_URL);
    if (offline) return offline;
  }
  return Response.error();
});

// register.js tells who is logged in on each page ("" for nobody) and before a log-out: when it is someone
// else than the person whose pages are kept, those pages are thrown away.
async function samePerson(who) {
  const store = await caches.open(WHO);
  const kept = await store.match("/__kk_who__");
  const before = kept ? await kept.text() : null;
  if (before !== who) {
    await caches.delete(PAGES);
    await store.put("/__kk_who__", new Response(who));
  }
}

// A page of keptFirst's opened before this worker controlled it (the first visit: register.js names it, `keep`) is
// fetched once more and kept, so that the next visit already draws from the device.
async function keepPage(address) {
  const url = new URL(address, self.location.href);
  url.hash = "";
  if (url.origin !== self.location.origin || !KEPT_FIRST.test(url.pathname)) return;
  const cache = await caches.open(PAGES);
  if (await cache.match(url.href, { ignoreVary: true })) return;
  const response = await fetch(url.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (isWholePage(response) && !saysSomething(await response.clone().text())) await cache.put(url.href, response);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "kk-who" && typeof data.who === "string") {
    const keep = data.who && typeof data.keep === "string" ? data.keep : null;
    event.waitUntil(
      samePerson(data.who)
        .then(() => keep && keepPage(keep).catch(() => null))
        .then(() => event.ports[0] && event.ports[0].postMessage("ok"))
    );
  }
});
