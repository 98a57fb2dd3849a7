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
// - pages (GET navigations, and Turbo's fetches of them): network first, however slow (a kept copy only when
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

registerRoute(isPage, new NetworkFirst({ cacheName: PAGES, plugins: [htmlPagesOnly] }), "GET");
registerRoute(isPage, new NetworkOnly(), "POST");
registerRoute(
  ({ url }) => url.origin === self.location.origin && (url.pathname.startsWith("/static/") || url.pathname === "/jsi18n/"),
  new StaleWhileRevalidate({ cacheName: STATIC }),
);

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

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "kk-who" && typeof data.who === "string") {
    event.waitUntil(samePerson(data.who).then(() => event.ports[0] && event.ports[0].postMessage("ok")));
  }
});
