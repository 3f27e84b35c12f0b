// The log form: every rep row saves itself (htmx, on change). This file keeps what the athlete
// typed safe around those saves:
//  - a row shows "Saving…", then the server's answer ("Saved", or the error beside the field);
//  - a save that fails (no signal, server error, timeout) leaves the inputs as they are and marks
//    the row "Not saved — will retry"; it is sent again on the next change in the row, a tap on
//    its Save button, when the phone comes back online, after another row saves, and every 20 s;
//  - anything typed while a save was in flight is put back after the row is redrawn and saved;
//  - leaving the page with unsaved rows asks first; Finish waits for them, then finishes.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  if (window.htmx) { window.htmx.config.timeout = 15000; }

  const AUTOSAVE = "[data-rep-row], [data-autosave]";
  const sent = new Map(); // form id -> the values of its request in flight
  const redraw = new Map(); // form id -> {typed, sent, open} captured just before a swap

  function formOf(elt) {
    if (!elt || !elt.closest) { return null; }
    const form = elt.matches("form") ? elt : elt.closest("form");
    return form && form.matches(AUTOSAVE) ? form : null;
  }

  function values(form) {
    const out = {};
    for (const el of form.elements) {
      if (el.name && el.name !== "csrfmiddlewaretoken" && !["submit", "button"].includes(el.type)) {
        out[el.name] = el.value;
      }
    }
    return out;
  }

  function setState(form, state, text) {
    form.classList.remove("is-dirty", "is-saving", "is-failed");
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

  document.addEventListener("htmx:configRequest", (event) => {
    const form = formOf(event.detail.elt);
    if (!form) { return; }
    sent.set(form.id, values(form));
    setState(form, "saving", "Saving…");
  });

  function failed(event) {
    const form = formOf(event.detail.elt);
    if (!form) { return; }
    setState(form, "failed", "Not saved — will retry");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);

  // Before a row is redrawn: remember what is in it now and which panels are open.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const form = formOf(event.detail.target);
    if (!form || !event.detail.shouldSwap) { return; }
    redraw.set(form.id, {
      typed: values(form),
      sent: sent.get(form.id) || {},
      open: Array.from(form.querySelectorAll("details[open]"), (d) => d.className),
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
        const input = form.elements.namedItem(name);
        if (input && before.sent[name] !== value && input.value !== value) {
          input.value = value;
          changed = true;
        }
      }
      if (changed) { setState(form, "dirty", "Not saved yet"); save(form); }
    });
  });

  window.addEventListener("online", () => retryFailed());
  window.setInterval(() => { if (navigator.onLine !== false) { retryFailed(); } }, 20000);

  function unsavedRows() {
    return document.querySelectorAll(
      "form[data-rep-row].is-dirty, form[data-rep-row].is-failed, form[data-rep-row].is-saving");
  }

  let leaving = false;
  let finishing = null; // {form, submitter} while Finish waits for rows to save

  window.addEventListener("beforeunload", (event) => {
    if (!leaving && document.querySelectorAll("form.is-dirty, form.is-failed, form.is-saving").length) {
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
