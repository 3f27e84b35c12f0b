// The service worker of the pages used at the track: the athlete's log form and the coach's
// stopwatch reload with no signal.
//
// Served at /sw.js by coach/views.py (a worker controls only pages under the folder it is served
// from) and registered by static/js/app.js on pages whose <body> has data-offline. What it
// does, and nothing more ("a log page" below is either kind):
//  - a navigation to a log page (/sessions/<n>/log/, /sessions/<n>/stopwatch/) goes to the
//    network first; a good answer
//    (200, not redirected: a login page is never kept) is kept in the cache; with no network, or
//    no answer within WAIT_MS, the kept copy is served instead (and the network's answer, if it
//    comes later, still refreshes the cache);
//  - the scripts, styles, images and fonts of our own origin that a log page asks for go the
//    same way (network first), so the cached page has its htmx, log.js and CSS offline;
//  - everything else (POSTs, htmx requests, every other page) is left to the browser: no other
//    page's HTML and no POST is ever cached. Saves made offline wait in log.js's outbox
//    (localStorage), not here.
//  - the first visit to a log page is over before the worker controls it, so app.js sends the
//    page's address and its files ("keep"): what is not in the cache yet is fetched and kept.
// A page from the cache may be older than rows saved since: log.js mends it from what the
// server acknowledged (data-rendered-at / data-saved-at, docs/frontend.md).
// The login page (where logging out lands) deletes these caches (static/js/app.js).
"use strict";

const CACHE = "coach-log-v1"; // a new name drops the old cache on activate
const KEPT_PAGE = /^\/sessions\/\d+\/(?:log|stopwatch)\/$/; // the pages used at the track
const ASSETS = ["script", "style", "image", "font"];
const WAIT_MS = 6000; // a poor signal: after this the kept copy is served
const KEEP_DAYS = 14; // another log page kept longer ago than this is dropped

self.addEventListener("install", () => { self.skipWaiting(); });

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("coach-") && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") { return; }
  const page = request.mode === "navigate" && KEPT_PAGE.test(url.pathname);
  if (!page && !ASSETS.includes(request.destination)) { return; }
  // A page is kept under its path alone (no query); a file under its full address, and only
  // when a log page asks for it (the login page's files must not fill the cache again).
  if (page) {
    event.respondWith(networkFirst(event, request, url.origin + url.pathname));
    return;
  }
  event.respondWith((async () => {
    const client = event.clientId ? await self.clients.get(event.clientId) : null;
    if (!client || !KEPT_PAGE.test(new URL(client.url).pathname)) { return fetch(request); }
    return networkFirst(event, request, request.url);
  })());
});

// app.js, once the worker is ready: {keep: [the page's path, its scripts, styles, icon]}.
self.addEventListener("message", (event) => {
  const urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  event.waitUntil(keep(urls));
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(urls.map(async (address) => {
    const url = new URL(address, self.location.origin);
    const page = KEPT_PAGE.test(url.pathname);
    const file = /\.(js|css|svg|png|ico|woff2?)$/.test(url.pathname);
    if (url.origin !== self.location.origin || !(page || file) || url.pathname === "/sw.js") {
      return; // never another page's HTML
    }
    const key = page ? url.origin + url.pathname : url.href;
    if (await cache.match(key, { ignoreVary: true })) { return; }
    try {
      const response = await fetch(key, { credentials: "same-origin" });
      if (response.ok && !response.redirected && response.type === "basic") {
        await cache.put(key, response);
      }
    } catch (error) { /* no signal: kept next time */ }
  }));
  await prune(cache, urls.map((address) => new URL(address, self.location.origin).href));
}

// The cache stays small: scripts and styles the log page no longer uses (a deploy renames them)
// go, and so do other log pages kept more than KEEP_DAYS ago.
async function prune(cache, current) {
  const limit = Date.now() - KEEP_DAYS * 86400000;
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (KEPT_PAGE.test(url.pathname)) {
      if (current.includes(url.href)) { continue; }
      const response = await cache.match(request, { ignoreVary: true });
      const date = response ? Date.parse(response.headers.get("Date") || "") : NaN;
      if (!(date >= limit)) { await cache.delete(request, { ignoreVary: true }); }
    } else if (/\.(js|css)$/.test(url.pathname) && !current.includes(url.href)) {
      await cache.delete(request, { ignoreVary: true });
    }
  }
}

async function networkFirst(event, request, key) {
  const cache = await caches.open(CACHE);
  const network = fetch(request);
  // Kept without holding the page back (the copy is read while the page is shown); the worker
  // stays alive until it is stored, and a late answer still refreshes the cache.
  event.waitUntil(network.then((response) => {
    if (response.ok && !response.redirected && response.type === "basic") {
      return cache.put(key, response.clone());
    }
    return null;
  }).catch(() => null));
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error("no answer yet")), WAIT_MS);
  });
  try {
    return await Promise.race([network, late]);
  } catch (error) {
    // Vary (Cookie, HX-Request) is ignored: only navigations and assets are ever stored here.
    const kept = await cache.match(key, { ignoreVary: true });
    if (kept) { return kept; }
    return network; // nothing kept: wait for the network, or fail as the browser would
  } finally {
    clearTimeout(timer);
  }
}
