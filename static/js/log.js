// The log form: every rep row saves itself (htmx, on change). This file keeps what the athlete
// typed safe around those saves:
//  - a row shows "Saving…", then the server's answer ("Saved", or the error beside the field);
//  - a save that fails (no signal, server error, timeout) leaves the inputs as they are and marks
//    the row "Not saved — will retry"; it is sent again on the next change in the row, a tap on
//    its Save button, when the phone comes back online, after another row saves, and every 20 s;
//  - anything typed while a save was in flight is put back after the row is redrawn and saved;
//  - a save refused because the login expired (401) keeps the row as typed, says "Not saved:
//    log in again" with a link that comes back here, and keeps the values in localStorage (by
//    user, session and row) until they are saved: back from the login they are sent again;
//  - Enter (the phone keyboard's "next") saves the row and moves to the next rep's box, after
//    the last rep to Finish (without JS, Enter presses the row's Save, its first button);
//  - leaving the page with unsaved rows asks first; Finish waits for them, then finishes;
//  - a problem the server put at the top of the page (Finish with reps missing) gets the focus.
// Why the redraw is mended by hand rather than by idiomorph's morph swap: docs/frontend.md.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  if (window.htmx) { window.htmx.config.timeout = 15000; }

  const AUTOSAVE = "[data-rep-row], [data-autosave]";
  const sent = new Map(); // form id -> the values of its request in flight
  const redraw = new Map(); // form id -> {typed, sent, open} captured just before a swap
  const head = document.querySelector("[data-log-key]");
  const STORE = head ? "coach-pending:" + head.dataset.logKey : null; // user:session

  // A row's inputs are named by its prefix, which changes when its log is first saved
  // (new-3-time becomes rep-41-time): values are matched by the part after it.
  function field(name) { return name.replace(/^(?:rep|new)-\d+-/, ""); }

  function pending() {
    if (!STORE) { return {}; }
    try { return JSON.parse(window.localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }

  function keep(form, typed) {
    if (!STORE) { return; }
    const all = pending();
    if (typed) { all[form.id] = typed; } else { delete all[form.id]; }
    try {
      if (Object.keys(all).length) { window.localStorage.setItem(STORE, JSON.stringify(all)); }
      else { window.localStorage.removeItem(STORE); }
    } catch (e) { /* private mode: the row still shows what was typed */ }
  }

  function formOf(elt) {
    if (!elt || !elt.closest) { return null; }
    const form = elt.matches("form") ? elt : elt.closest("form");
    return form && form.matches(AUTOSAVE) ? form : null;
  }

  function values(form) {
    const out = {};
    for (const el of form.elements) {
      if (el.name && el.name !== "csrfmiddlewaretoken" && !["submit", "button"].includes(el.type)) {
        out[field(el.name)] = el.value;
      }
    }
    return out;
  }

  function input(form, name) {
    for (const el of form.elements) {
      if (el.name && field(el.name) === name && !["submit", "button"].includes(el.type)) {
        return el;
      }
    }
    return null;
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function setState(form, state, text) {
    form.classList.remove("is-dirty", "is-saving", "is-failed", "is-login");
    if (state) { form.classList.add("is-" + state); }
    const line = form.querySelector("[data-state]");
    if (line && text !== undefined) { line.textContent = text; }
  }

  function save(form) {
    if (form.isConnected && window.htmx) { window.htmx.trigger(form, "change"); }
  }

  function retryFailed(except) {
    document.querySelectorAll("form.is-failed").forEach((form) => {
      if (form !== except) { save(form); }
    });
  }

  // Typing marks the row as not saved yet (it saves when the box is left).
  document.addEventListener("input", (event) => {
    const form = formOf(event.target);
    if (form && !form.classList.contains("is-saving")) { setState(form, "dirty", "Not saved yet"); }
  });

  // One request per change: Enter, or a tap on Save, would send the same values twice.
  document.addEventListener("htmx:confirm", (event) => {
    const form = formOf(event.detail.elt);
    if (form && event.detail.elt === form && sent.has(form.id) &&
        same(sent.get(form.id), values(form))) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:configRequest", (event) => {
    const form = formOf(event.detail.elt);
    if (!form) { return; }
    sent.set(form.id, values(form));
    setState(form, "saving", "Saving…");
  });

  function loginLink(xhr, form) {
    const login = (xhr && xhr.getResponseHeader("X-Login-Url")) || "/accounts/login/";
    const back = window.location.pathname + "#" + form.id;
    const link = document.createElement("a");
    link.href = login + "?next=" + encodeURIComponent(back);
    link.textContent = "log in again";
    link.className = "login-again";
    link.addEventListener("click", () => { leaving = true; });
    return link;
  }

  function failed(event) {
    const form = formOf(event.detail.elt);
    if (!form) { return; }
    sent.delete(form.id);
    const xhr = event.detail.xhr;
    if (xhr && xhr.status === 401) { // the login expired: keep the row until it is back
      keep(form, values(form));
      setState(form, "login", "Not saved: ");
      form.querySelector("[data-state]").append(loginLink(xhr, form));
      return;
    }
    setState(form, "failed", "Not saved — will retry");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);

  // Before a row is redrawn: remember what is in it now and which panels are open.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const form = formOf(event.detail.target);
    if (!form || !event.detail.shouldSwap) { return; }
    keep(form, null); // the server has the row (saved, or refused beside its boxes)
    const active = document.activeElement;
    redraw.set(form.id, {
      typed: values(form),
      sent: sent.get(form.id) || {},
      open: Array.from(form.querySelectorAll("details[open]"), (d) => d.className),
      // htmx keeps the focus by id, which changes when the row's log is first saved
      focus: active && form.contains(active) && active.name ? field(active.name) : null,
    });
  });

  // After: put back what was typed after the request left, and save it too.
  document.addEventListener("htmx:afterSettle", (event) => {
    retryFailed();
    redraw.forEach((before, id) => {
      const form = document.getElementById(id);
      redraw.delete(id);
      sent.delete(id);
      if (!form) { return; }
      before.open.forEach((name) => {
        const panel = name && form.querySelector("details." + name.split(" ").join("."));
        if (panel) { panel.open = true; }
      });
      let changed = false;
      for (const [name, value] of Object.entries(before.typed)) {
        const box = input(form, name);
        if (box && before.sent[name] !== value && box.value !== value) {
          box.value = value;
          changed = true;
        }
      }
      const box = before.focus && input(form, before.focus);
      if (box && !form.contains(document.activeElement) &&
          [document.body, null].includes(document.activeElement)) {
        box.focus();
        if (box.setSelectionRange && box.type === "text") {
          box.setSelectionRange(box.value.length, box.value.length);
        }
      }
      if (changed) { setState(form, "dirty", "Not saved yet"); save(form); }
    });
  });

  window.addEventListener("online", () => retryFailed());
  window.setInterval(() => { if (navigator.onLine !== false) { retryFailed(); } }, 20000);

  // Back from logging in again: put back what was not saved, and save it.
  function restore() {
    for (const [id, typed] of Object.entries(pending())) {
      const form = document.getElementById(id);
      if (!form || !form.matches(AUTOSAVE)) { continue; }
      for (const [name, value] of Object.entries(typed)) {
        const box = input(form, name);
        if (box && box.type !== "hidden") { box.value = value; }
      }
      setState(form, "dirty", "Not saved yet");
      save(form);
    }
  }

  // Enter in a row: save it (leaving the box does) and go on to the next rep, then Finish.
  document.addEventListener("keydown", (event) => {
    const form = formOf(event.target);
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey ||
        event.metaKey || event.isComposing || !form || !form.matches("[data-rep-row]") ||
        event.target.tagName !== "INPUT") { return; }
    event.preventDefault();
    const rows = Array.from(document.querySelectorAll("form[data-rep-row]"));
    let next = null;
    for (const row of rows.slice(rows.indexOf(form) + 1)) {
      next = row.querySelector(".primary-input");
      if (next) { break; }
    }
    next = next || document.querySelector("#log-details button[name=finish]");
    if (next) { next.focus(); } else { event.target.blur(); }
    if (next) { next.scrollIntoView({ block: "center" }); }
    if (!form.classList.contains("is-saving") &&
        (form.classList.contains("is-dirty") || form.classList.contains("is-failed"))) {
      save(form);
    }
  });

  function unsavedRows() {
    return document.querySelectorAll(
      "form[data-rep-row].is-dirty, form[data-rep-row].is-failed, form[data-rep-row].is-saving");
  }

  function ready() {
    restore();
    const problem = document.querySelector("[data-focus-on-load]");
    if (problem) { problem.focus(); problem.scrollIntoView({ block: "start" }); }
  }
  // After htmx has set the page up (it starts on DOMContentLoaded; both scripts are deferred).
  if (document.readyState === "complete") { ready(); } else {
    document.addEventListener("DOMContentLoaded", ready);
  }

  let leaving = false;
  let finishing = null; // {form, submitter} while Finish waits for rows to save

  window.addEventListener("beforeunload", (event) => {
    const open = "form.is-dirty, form.is-failed, form.is-saving, form.is-login";
    if (!leaving && document.querySelectorAll(open).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Finish waits for the rows (leaving the page would drop a save in flight), then goes on.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("[data-autosave]")) { return; }
    const rows = unsavedRows();
    if (!rows.length) { leaving = true; finishing = null; return; }
    event.preventDefault();
    finishing = { form: form, submitter: event.submitter || null };
    rows.forEach((row) => { if (!row.classList.contains("is-saving")) { save(row); } });
    const warning = form.querySelector("[data-unsaved-warning]");
    if (warning) { warning.hidden = false; }
  }, true);

  document.addEventListener("htmx:afterSettle", () => {
    if (!finishing || unsavedRows().length) { return; }
    const { form, submitter } = finishing;
    finishing = null;
    const current = document.getElementById(form.id) || form;
    const button = submitter && submitter.name
      ? current.querySelector(`button[name="${submitter.name}"]`) : null;
    current.requestSubmit(button || undefined);
  });
})();
