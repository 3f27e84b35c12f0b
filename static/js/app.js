// Small behaviours that the Content-Security-Policy keeps out of the templates.

// A client-made id for one save (a UUID): the log form's outbox and the stopwatch send one with
// each save so that the server applies it exactly once. randomUUID needs a secure context;
// over plain http (a phone on the club's wifi) it is made from random bytes the same way.
window.coachId = function () {
  const c = window.crypto;
  if (c.randomUUID) { return c.randomUUID(); }
  const bytes = c.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
    hex.slice(20)].join("-");
};
document.addEventListener("click", (event) => {
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});
document.addEventListener("click", (event) => {
  const printer = event.target.closest("[data-print]");
  if (printer) { event.preventDefault(); window.print(); }
});

// An htmx request that fails anywhere else on a page (the roster, the athlete's paces, the
// calendar's move and copy, a comment) must not fail silently: htmx swaps nothing for an error
// (the responseHandling in templates/base.html), so nothing typed is lost, and this says what
// happened at the top of the page. The log form's rows and the live preview say it beside
// themselves (static/js/log.js, static/js/plan.js), so they are left to their own scripts.
(function () {
  "use strict";
  const OWN = "[data-rep-row], [data-autosave], [data-preview-source]";
  const BOX = "page-problem";

  // A rep row's own htmx requests (More, skip, undo, remove) outside the log page (on a row's
  // own page) are said here; on the log page log.js says them ("log-outbox" marks it).
  function handledElsewhere(event) {
    const elt = event.detail && event.detail.elt;
    const own = Boolean(elt && elt.closest && elt.closest(OWN));
    return own && (!elt.closest("[data-rep-row]") ||
      document.documentElement.classList.contains("log-outbox"));
  }

  function box() {
    let el = document.getElementById(BOX);
    if (!el) {
      el = document.createElement("div");
      el.id = BOX;
      el.className = "notice problem";
      el.setAttribute("role", "alert");
      el.tabIndex = -1;
      const main = document.getElementById("main") || document.body;
      main.prepend(el);
    }
    return el;
  }

  function show(text, link) {
    const el = box();
    el.replaceChildren();
    const p = document.createElement("p");
    p.textContent = text;
    if (link) { p.append(" ", link); }
    el.append(p);
    el.hidden = false;
    el.scrollIntoView({ block: "nearest" });
  }

  function loginLink(xhr) {
    const login = (xhr && xhr.getResponseHeader("X-Login-Url")) || "/accounts/login/";
    const a = document.createElement("a");
    a.href = login + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    a.textContent = "Log in again";
    return a;
  }

  function refused(event) {
    if (handledElsewhere(event)) { return; }
    const xhr = event.detail.xhr;
    const status = xhr ? xhr.status : 0;
    if (status === 401) {
      show("You were signed out, so that was not saved.", loginLink(xhr));
    } else if (status === 403) {
      show("That was refused: the page may be out of date. Reload it and try again.");
    } else if (status === 404) {
      show("That is no longer there, or no longer yours to change. Reload the page.");
    } else if (status === 413) {
      show("That was too large to send.");
    } else {
      show(`The server had a problem (error ${status}); nothing was changed. Try again.`);
    }
  }
  document.addEventListener("htmx:responseError", refused);
  document.addEventListener("htmx:sendError", (event) => {
    if (!handledElsewhere(event)) { show("No connection to the server: nothing was sent. Try again when you have signal."); }
  });
  document.addEventListener("htmx:timeout", (event) => {
    if (!handledElsewhere(event)) { show("The server took too long to answer. Try again."); }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const el = document.getElementById(BOX);
    if (el && event.detail.successful && !handledElsewhere(event)) { el.hidden = true; }
  });
}());

// The login page (where logging out lands, and where an expired login is renewed) forgets what
// the log page kept for working offline: the service worker's cached pages and files
// (static/js/sw.js), and the rows the server has already acknowledged (static/js/log.js). Values
// still waiting to be saved stay: they are the athlete's, keyed by user, and are sent when that
// athlete opens the log again.
(function () {
  "use strict";
  if (!document.querySelector("[data-forget-offline]")) { return; }
  if (window.caches) {
    window.caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith("coach-")).map((name) => window.caches.delete(name))
    )).catch(() => null);
  }
  try {
    for (const key of Object.keys(window.localStorage)) {
      if (!key.startsWith("coach-log:")) { continue; }
      let kept;
      try { kept = JSON.parse(window.localStorage.getItem(key)) || {}; } catch (e) {
        window.localStorage.removeItem(key); // not ours to read: a broken entry goes
        continue;
      }
      delete kept.saved;
      delete kept.progress;
      if ((kept.queue || []).length || Object.keys(kept.typed || {}).length) {
        window.localStorage.setItem(key, JSON.stringify(kept));
      } else {
        window.localStorage.removeItem(key);
      }
    }
  } catch (e) { /* storage unavailable: nothing was kept */ }
})();

// Pages used at the track with a poor signal (the log form, the coach's stopwatch) reload with
// none: their <body> carries data-offline, and this registers the service worker
// (static/js/sw.js, served at /sw.js) and tells it to keep the page and its files. The first
// visit is over before the worker controls the page, hence the message.
(function () {
  "use strict";
  if (!document.body || !("offline" in document.body.dataset)) { return; }
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() =>
    navigator.serviceWorker.ready).then((registration) => {
    const files = document.querySelectorAll(
      "script[src], link[rel=stylesheet][href], link[rel=icon][href]");
    const keep = [window.location.pathname].concat(Array.from(files, (el) => el.src || el.href));
    if (registration.active) { registration.active.postMessage({ keep: keep }); }
  }).catch(() => null);
})();
