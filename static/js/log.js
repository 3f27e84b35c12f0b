// The log form: nothing the athlete types is lost, and the keyboard's Enter goes rep to rep.
//
// THE OUTBOX. Rep rows are not posted by htmx: this file posts them, one save at a time, in the
// order they were made, and keeps everything in localStorage (one key per user and session,
// "coach-log:" + the header's data-log-key) until the server has acknowledged it:
//  - typed:  the row's values from the first keystroke, until the row is queued;
//  - queue:  the saves to send, each {pos, url, cid, values, tries}. Leaving a box, Enter, or the
//            row's Save button queues the row; `cid` is a random id made when it is queued and
//            kept across retries, so the server (which records every cid it applied) applies it
//            exactly once even when an answer was lost on the way. A save not sent yet takes in
//            newer values of its row; one that was sent is frozen, and newer values go in a save
//            of their own behind it;
//  - saved:  for each row, the server's answer (its HTML and data-saved-at, epoch ms), and the
//            progress line: a page served stale by the service worker (its data-rendered-at is
//            older) gets these rows put back as they were saved; older ones are dropped.
// One sender posts the head of the queue with fetch (HX-Request, X-CSRFToken from the cookie,
// else the page). 2xx: the row is swapped for the answer (htmx.process for its "More" link),
// keeping what was typed in the row since, its open details panel and the focus; the
// out-of-band progress line is applied; the save leaves the queue. No signal, a timeout or a
// 5xx: the save stays, the banner (#log-pending) says how many reps wait, and it is retried when
// the phone is back online, when the page is shown again, on the next save and every 10 s.
// 401 (or 403: a CSRF token gone stale with the login): the banner says to log in again, with a
// link that comes back here; the values stay. On page load everything kept is put back in its
// box and sent: a reload, a closed tab, a dead signal or an expired login loses nothing.
//
// ALSO: Enter (the phone keyboard's "next") saves the row and moves to the next rep's
// .primary-input, after the last rep to Finish (without JS, Enter presses the row's Save);
// Finish waits until the outbox is empty, then finishes; the session's details form
// (#log-details, saved by htmx) says when a save failed and retries it; a problem the server put
// at the top of the page (Finish with reps missing) gets the focus; arriving from Today (#next)
// the cursor goes to the first rep still empty. The page reloads with no signal through the
// service worker (static/js/sw.js, registered by app.js for pages with data-offline on their
// <body>). docs/frontend.md has more.
(function () {
  "use strict";

  document.documentElement.classList.add("js", "log-outbox"); // app.js leaves rows to us
  const ROWS = "form[data-rep-row]";
  const TIMEOUT_MS = 15000;
  if (window.htmx) { window.htmx.config.timeout = TIMEOUT_MS; }
  const RETRY_MS = 10000;
  const KEEP_DAYS = 7; // what another session's log kept, acknowledged, is dropped after this
  const head = document.querySelector("[data-log-key]");
  const KEY = head ? "coach-log:" + head.dataset.logKey : null;
  const RENDERED_AT = head ? Number(head.dataset.renderedAt) || 0 : 0;

  // --- the store ------------------------------------------------------------------------------

  function read(key) {
    let kept = null;
    try { kept = key && JSON.parse(window.localStorage.getItem(key)); } catch (e) { kept = null; }
    kept = kept && typeof kept === "object" ? kept : {};
    return {
      typed: kept.typed || {}, queue: Array.isArray(kept.queue) ? kept.queue : [],
      saved: kept.saved || {}, progress: kept.progress || null,
    };
  }

  const store = read(KEY);

  function persist() {
    if (!KEY) { return; }
    const empty = !store.queue.length && !Object.keys(store.typed).length &&
      !Object.keys(store.saved).length && !store.progress;
    try {
      if (empty) { window.localStorage.removeItem(KEY); }
      else { window.localStorage.setItem(KEY, JSON.stringify(store)); }
    } catch (e) { /* private mode or full: the boxes still show what was typed */ }
  }

  // Other sessions' logs: what they kept that is only acknowledged rows goes after KEEP_DAYS.
  function pruneOthers() {
    const limit = Date.now() - KEEP_DAYS * 86400000;
    try {
      for (const key of Object.keys(window.localStorage)) {
        if (!key.startsWith("coach-log:") || key === KEY) { continue; }
        const other = read(key);
        const times = Object.values(other.saved).map((s) => s.at || 0)
          .concat(other.progress ? [other.progress.at || 0] : []);
        if (!other.queue.length && !Object.keys(other.typed).length &&
            times.every((at) => at < limit)) {
          window.localStorage.removeItem(key);
        }
      }
    } catch (e) { /* storage unavailable */ }
  }

  // --- rows and their boxes -------------------------------------------------------------------

  const known = new Map(); // position -> the row's values as the server last drew them

  function rowAt(pos) { return document.getElementById("rep-row-" + pos); }
  function positionOf(form) { return form.dataset.position; }
  // A row being swapped out is not one: Chromium fires change on its focused box as it goes.
  let swapping = null;
  function rowOf(elt) {
    const form = elt && elt.closest ? elt.closest(ROWS) : null;
    return form && form.isConnected && form !== swapping ? form : null;
  }

  function isBox(el) {
    return Boolean(el.name) && el.name !== "csrfmiddlewaretoken" && el.name !== "cid" &&
      !["submit", "button", "reset", "file", "image"].includes(el.type) &&
      ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName);
  }

  function boxes(form) { return Array.from(form.elements).filter(isBox); }

  function values(form) {
    const out = {};
    for (const el of boxes(form)) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { continue; }
      out[el.name] = el.value;
    }
    return out;
  }

  // The row's values as the server drew them (the HTML's defaults), whatever was typed since.
  function drawn(form) {
    const out = {};
    for (const el of boxes(form)) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.defaultChecked) { out[el.name] = el.value; }
      } else if (el.tagName === "SELECT") {
        const options = Array.from(el.options);
        const chosen = options.find((o) => o.defaultSelected) || options[0];
        out[el.name] = chosen ? chosen.value : "";
      } else { out[el.name] = el.defaultValue; }
    }
    return out;
  }

  function put(form, vals, names) {
    for (const el of boxes(form)) {
      if (!(el.name in vals) || (names && !names.includes(el.name))) { continue; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = vals[el.name] === el.value;
      }
      else if (el.type !== "hidden") { el.value = vals[el.name]; }
    }
  }

  function same(a, b) {
    const keys = Object.keys(Object.assign({}, a, b));
    return keys.every((k) => (a[k] === undefined ? "" : a[k]) === (b[k] === undefined ? "" : b[k]));
  }

  const STATES = ["is-dirty", "is-waiting", "is-saving", "is-failed", "is-login"];

  function setState(form, state, text) {
    form.classList.remove(...STATES);
    if (state) { form.classList.add("is-" + state); }
    const line = form.querySelector("[data-state]");
    if (line && text !== undefined && line.textContent !== text) { line.textContent = text; }
  }

  function lastSave(pos) {
    for (let i = store.queue.length - 1; i >= 0; i -= 1) {
      if (store.queue[i].pos === pos) { return store.queue[i]; }
    }
    return null;
  }


  // --- queueing -------------------------------------------------------------------------------

  let trouble = null; // null, "offline" or "login": why the head of the queue is not saved
  let loginUrl = "/accounts/login/";

  // A row that waits: its state (class is-…) and its words, from why the queue is stuck.
  function waitingState() { return trouble === "login" ? "login" : trouble ? "failed" : "waiting"; }

  function waitingText() {
    if (trouble === "login") { return "Kept on this phone: log in again"; }
    if (trouble === "offline") { return "Kept on this phone until the signal returns"; }
    return "Waiting to be saved";
  }

  // Queue the row's save (its values now, or `vals`); `force`: even if nothing changed (a
  // button such as "Keep 6.64" says something the values do not).
  function enqueue(form, vals, force) {
    const pos = positionOf(form);
    vals = vals || values(form);
    delete store.typed[pos];
    const last = lastSave(pos);
    const base = last ? last.values : known.get(pos);
    if (!force && base && same(base, vals)) {
      persist();
      if (!last && form.classList.contains("is-dirty")) { setState(form, null, ""); }
      pump(); // nothing new, but a save that failed is tried again (a tap on Save)
      return;
    }
    if (last && !last.tries) { last.values = vals; } else {
      const url = new URL(form.getAttribute("action") || window.location.href,
        window.location.href).href;
      store.queue.push({ pos: pos, url: url, cid: window.coachId(), values: vals, tries: 0 });
    }
    persist();
    setState(form, waitingState(), waitingText());
    showBanner();
    pump();
  }

  function flushTyped() {
    for (const pos of Object.keys(store.typed)) {
      const form = rowAt(pos);
      if (form) {
        const vals = Object.assign(values(form), store.typed[pos]);
        put(form, vals);
        enqueue(form, vals);
      }
      else { delete store.typed[pos]; persist(); }
    }
  }

  // --- the sender -----------------------------------------------------------------------------

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) { return decodeURIComponent(cookie.slice("csrftoken=".length)); }
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  async function post(entry) {
    const body = new URLSearchParams(entry.values);
    body.set("cid", entry.cid);
    const controller = window.AbortController ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null;
    try {
      const response = await fetch(entry.url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
        signal: controller ? controller.signal : undefined,
      });
      return { response: response, html: await response.text() };
    } finally {
      if (timer) { clearTimeout(timer); }
    }
  }

  let sending = false;

  async function pump() {
    if (sending || !store.queue.length) { return; }
    sending = true;
    try {
      while (store.queue.length) {
        const entry = store.queue[0];
        entry.tries += 1;
        persist();
        const form = rowAt(entry.pos);
        if (form && !trouble) { setState(form, "saving", "Saving…"); }
        let answer;
        try { answer = await post(entry); } catch (error) { stall("offline"); return; }
        const response = answer.response;
        const toLogin = response.redirected && !answer.html.includes("data-rep-row");
        if (response.status === 401 || response.status === 403 || toLogin) {
          stall("login", response);
          return;
        }
        if (response.status >= 500 || response.status === 408 || response.status === 429) {
          stall("offline");
          return;
        }
        trouble = null;
        store.queue.shift();
        if (response.ok) { acknowledge(entry, answer.html); } else if (form) {
          // refused for good (404: not this athlete's row any more): said on the row
          setState(form, "failed", "Not saved: the server refused it (" + response.status + ")");
        }
        persist();
      }
    } finally {
      sending = false;
      showBanner();
      finishIfReady();
    }
  }

  function stall(kind, response) {
    trouble = kind;
    if (kind === "login") {
      loginUrl = (response && response.headers.get("X-Login-Url")) || loginUrl;
    }
    for (const entry of store.queue) {
      const form = rowAt(entry.pos);
      if (form) { setState(form, waitingState(), waitingText()); }
    }
  }

  function loginLink() {
    const first = store.queue.length ? "#rep-row-" + store.queue[0].pos : "";
    const link = document.createElement("a");
    link.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname + first);
    link.textContent = "log in again";
    link.className = "login-again";
    return link;
  }

  function showBanner() {
    const banner = document.getElementById("log-pending");
    if (!banner) { return; }
    const reps = new Set(store.queue.map((entry) => entry.pos)).size;
    if (!reps || !trouble) {
      banner.hidden = true;
      banner.textContent = "";
      return;
    }
    const one = reps === 1;
    const waiting = reps + (one ? " rep" : " reps") + " waiting to be saved — ";
    if (trouble === "login") {
      banner.replaceChildren(waiting + "your login has expired: ", loginLink(),
        one ? " (it is kept on this phone)." : " (they are kept on this phone).");
    } else {
      banner.textContent = waiting + (one ? "it saves by itself" : "they save by themselves") +
        " when the signal returns";
    }
    banner.classList.toggle("is-login", trouble === "login");
    banner.hidden = false;
  }

  // --- answers --------------------------------------------------------------------------------

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function applyProgress(el) {
    const old = document.getElementById(el.id);
    if (old) { old.replaceWith(el); }
  }

  function acknowledge(entry, html) {
    const answer = fragment(html);
    const rows = answer.querySelectorAll(ROWS);
    const fresh = answer.getElementById("rep-row-" + entry.pos) ||
      (rows.length === 1 ? rows[0] : null);
    const savedAt = fresh ? Number(fresh.dataset.savedAt) || 0 : 0;
    for (const el of Array.from(answer.querySelectorAll("[hx-swap-oob]"))) {
      el.removeAttribute("hx-swap-oob");
      if (el.id === "log-progress" && savedAt) {
        store.progress = { at: savedAt, html: el.outerHTML };
      }
      if (el.id) { applyProgress(el); }
    }
    if (!fresh) {
      const row = rowAt(entry.pos);
      if (row && !lastSave(entry.pos)) { setState(row, null); }
      return;
    }
    if (savedAt) { store.saved[entry.pos] = { at: savedAt, html: fresh.outerHTML }; }
    const old = rowAt(entry.pos);
    if (old) { swapRow(old, fresh, entry.values); }
    if (fresh.matches(".has-errors, .is-questioned") && !lastSave(entry.pos) &&
        !store.typed[entry.pos]) {
      store.typed[entry.pos] = entry.values; // refused, not lost: a reload puts it back
    }
  }

  // Swap a row for the server's answer, keeping what the athlete has in it meanwhile: values
  // typed since `sent` left, the details panel they opened, the focus.
  function swapRow(old, fresh, sent) {
    const pos = positionOf(old);
    const typed = values(old);
    const active = document.activeElement;
    const focus = active && old.contains(active) && active.name ? active.name : null;
    const oldMore = old.querySelector(".rep-more");
    const newMore = fresh.querySelector(".rep-more");
    const drawn = values(fresh);
    known.set(pos, drawn);
    if (oldMore && newMore && oldMore.childElementCount && !newMore.childElementCount) {
      newMore.replaceWith(oldMore); // still open, with what is typed in it
      const toggle = fresh.querySelector(".rep-more-toggle");
      if (toggle) { toggle.setAttribute("aria-expanded", String(!oldMore.hidden)); }
    }
    swapping = old;
    try { old.replaceWith(fresh); } finally { swapping = null; }
    const since = {};
    for (const [name, value] of Object.entries(typed)) {
      if (sent[name] !== value) { since[name] = value; }
    }
    put(fresh, since);
    if (window.htmx) { window.htmx.process(fresh); }
    const now = values(fresh);
    const changed = Object.keys(now).some((name) =>
      !same({ v: now[name] }, { v: sent[name] }) && !same({ v: now[name] }, { v: drawn[name] }));
    if (lastSave(pos)) { setState(fresh, waitingState(), waitingText()); }
    else if (changed) {
      store.typed[pos] = now;
      setState(fresh, "dirty", "Not saved yet");
    }
    const box = focus && fresh.querySelector(`[name="${focus}"]`);
    if (box && (!document.activeElement || document.activeElement === document.body)) {
      box.focus();
      if (box.setSelectionRange && box.type === "text") {
        box.setSelectionRange(box.value.length, box.value.length);
      }
    }
  }

  // --- putting things back on page load -------------------------------------------------------

  function restore() {
    for (const [pos, saved] of Object.entries(store.saved)) {
      const row = rowAt(pos);
      if (!saved || (saved.at || 0) <= RENDERED_AT) { delete store.saved[pos]; continue; }
      const fresh = row && fragment(saved.html).querySelector(ROWS);
      if (fresh) { row.replaceWith(fresh); if (window.htmx) { window.htmx.process(fresh); } }
    }
    if (store.progress && (store.progress.at || 0) > RENDERED_AT) {
      const el = fragment(store.progress.html).firstElementChild;
      if (el && el.id) { applyProgress(el); }
    } else { store.progress = null; }
    // What was typed before this file ran (a slow signal: the page shows before its scripts
    // arrive) differs from what the server drew, and is saved like any other typing.
    document.querySelectorAll(ROWS).forEach((row) => {
      const pos = positionOf(row);
      const drew = drawn(row);
      known.set(pos, drew);
      const now = values(row);
      // (over what an earlier visit kept typed: what the boxes show now is the newer typing)
      if (!same(drew, now)) { store.typed[pos] = Object.assign({}, store.typed[pos], now); }
    });
    const latest = {};
    for (const entry of store.queue) { latest[entry.pos] = entry.values; }
    for (const [pos, vals] of Object.entries(latest)) {
      const row = rowAt(pos);
      if (row) { put(row, vals); setState(row, "waiting", waitingText()); }
    }
    persist();
    flushTyped();
    showBanner();
    pump();
  }

  // --- events ---------------------------------------------------------------------------------

  // Every keystroke is kept on the phone.
  document.addEventListener("input", (event) => {
    const form = rowOf(event.target);
    if (!form || !isBox(event.target)) { return; }
    store.typed[positionOf(form)] = values(form);
    persist();
    if (!form.classList.contains("is-saving")) { setState(form, "dirty", "Not saved yet"); }
  });

  // Leaving a box that changed queues the row. Caught on its way down and stopped there: the
  // row is this file's to save (rows carry no hx-post; the same for submit, below).
  document.addEventListener("change", (event) => {
    const form = rowOf(event.target);
    if (!form || !isBox(event.target)) { return; }
    event.stopPropagation();
    enqueue(form);
  }, true);

  // Enter in a row: save it and go on to the next rep's box, after the last rep to Finish.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey ||
        event.metaKey || event.isComposing) { return; }
    const form = rowOf(event.target);
    if (!form || event.target.tagName !== "INPUT" || !isBox(event.target) ||
        ["checkbox", "radio"].includes(event.target.type)) { return; }
    event.preventDefault();
    enqueue(form);
    const rows = Array.from(document.querySelectorAll(ROWS));
    let next = null;
    for (const row of rows.slice(rows.indexOf(form) + 1)) {
      next = row.querySelector(".primary-input");
      if (next) { break; }
    }
    next = next || document.querySelector("#log-details button[name=finish]");
    if (next) { next.focus(); next.scrollIntoView({ block: "center" }); }
    else { event.target.blur(); }
  });

  // A details panel loaded after values were kept for its boxes gets them back.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.matches && target.matches(ROWS)) { // a row redrawn by htmx (skip, undo, remove)
      const row = rowAt(positionOf(target));
      if (row) { known.set(positionOf(row), values(row)); }
      return;
    }
    const form = rowOf(target);
    if (!form) { // rows added ("Add a rep"): as the server drew them
      document.querySelectorAll(ROWS).forEach((row) => {
        if (!known.has(positionOf(row))) { known.set(positionOf(row), values(row)); }
      });
      return;
    }
    const pos = positionOf(form);
    const last = lastSave(pos);
    const pending = store.typed[pos] || (last && last.values);
    if (pending) {
      put(form, pending, Array.from(target.querySelectorAll("[name]"), (el) => el.name));
    }
    const toggle = form.querySelector(".rep-more-toggle");
    if (toggle && target.matches(".rep-more")) { toggle.setAttribute("aria-expanded", "true"); }
  });

  // "More" again folds the loaded panel away (and opens it again) without asking the server.
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest && event.target.closest(".rep-more-toggle");
    const form = rowOf(toggle);
    const panel = form && form.querySelector(".rep-more");
    if (!panel || !panel.childElementCount) { return; }
    event.preventDefault();
    event.stopPropagation(); // htmx would load it again
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
  }, true);

  // A row's Save (and the slip buttons) go through the outbox; skip, undo and remove, which
  // post elsewhere (formaction), are left to htmx.
  let finishing = null; // {form, submitter} while Finish waits for the outbox

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const submitter = event.submitter || null;
    if (form.matches(ROWS)) {
      const action = new URL(form.getAttribute("action") || "", window.location.href).href;
      if (submitter && submitter.hasAttribute("formaction") && submitter.formAction !== action) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      const vals = values(form);
      if (submitter && submitter.name) {
        vals[submitter.name] = submitter.value;
        put(form, { [submitter.name]: submitter.value });
      }
      enqueue(form, vals, Boolean(submitter && submitter.name));
      return;
    }
    if (!form.matches("#log-details")) { return; }
    flushTyped();
    if (!store.queue.length) { finishing = null; return; }
    event.preventDefault();
    finishing = { form: form, submitter: submitter };
    const warning = form.querySelector("[data-unsaved-warning]");
    if (warning) { warning.hidden = false; }
    pump();
  }, true);

  function finishIfReady() {
    if (!finishing || store.queue.length) { return; }
    const { form, submitter } = finishing;
    finishing = null;
    const current = document.getElementById(form.id) || form;
    const button = submitter && submitter.name
      ? current.querySelector(`button[name="${submitter.name}"]`) : null;
    current.requestSubmit(button || undefined);
  }

  // --- htmx's own requests: the session's details form (saved on change), a row's More, skip,
  // undo and remove -------------------------------------------------------------------------

  const DETAILS = "form[data-autosave]";
  function detailsOf(elt) { return elt && elt.closest ? elt.closest(DETAILS) : null; }

  // Only the form's own post is a save: opening "How it went" or "Add a rep" loads their boxes
  // (an htmx GET from inside the form) and saves nothing.
  document.addEventListener("htmx:configRequest", (event) => {
    const form = detailsOf(event.detail.elt);
    if (form && event.detail.elt === form) { setState(form, "saving", "Saving…"); }
  });

  function detailsFailed(event) {
    const row = rowOf(event.detail.elt);
    if (row) { // a row's own htmx request (More, skip, undo, remove): nothing is lost, try again
      const login = event.detail.xhr && event.detail.xhr.status === 401;
      setState(row, login ? "login" : "failed",
        login ? "Not done: log in again first" : "Not done (no signal?): try again");
      return;
    }
    const form = detailsOf(event.detail.elt);
    if (!form) { return; }
    if (event.detail.elt !== form) { // its boxes did not load: folding and opening tries again
      const line = form.querySelector("[data-state]");
      if (line) { line.textContent = "Could not open it (no signal?): fold it and open it again"; }
      return;
    }
    const xhr = event.detail.xhr;
    if (xhr && xhr.status === 401) {
      loginUrl = xhr.getResponseHeader("X-Login-Url") || loginUrl;
      setState(form, "login", "Not saved: ");
      form.querySelector("[data-state]").append(loginLink());
      return;
    }
    setState(form, "failed", "Not saved — will retry");
  }
  document.addEventListener("htmx:sendError", detailsFailed);
  document.addEventListener("htmx:responseError", detailsFailed);
  document.addEventListener("htmx:timeout", detailsFailed);

  function retry() {
    pump();
    document.querySelectorAll(DETAILS + ".is-failed").forEach((form) => {
      if (window.htmx) { window.htmx.trigger(form, "change"); }
    });
  }
  window.addEventListener("online", retry);
  window.addEventListener("pageshow", retry);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { retry(); }
  });
  window.setInterval(() => { if (store.queue.length || trouble) { retry(); } }, RETRY_MS);

  // --- start ----------------------------------------------------------------------------------

  function ready() {
    restore();
    pruneOthers();
    const problem = document.querySelector("[data-focus-on-load]");
    if (problem) { problem.focus(); problem.scrollIntoView({ block: "start" }); return; }
    if (window.location.hash === "#next") { focusNext(); }
  }

  // Today's "Log this session" lands here with #next: the cursor goes to the first rep still
  // empty (one tap from Today to typing), brought to the middle of the screen.
  function focusNext() {
    const box = Array.from(document.querySelectorAll(ROWS + " .primary-input"))
      .find((input) => !input.value);
    if (box) { box.focus({ preventScroll: true }); box.scrollIntoView({ block: "center" }); }
  }
  // After htmx has set the page up (it starts on DOMContentLoaded; both scripts are deferred).
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); }
  else { ready(); }

})();
