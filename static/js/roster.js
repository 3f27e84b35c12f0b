// Roster: copy a set-password link with one tap (the CSP keeps this out of the templates).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.focus();
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Press Ctrl+C";  // no clipboard permission: the text is selected
  }
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});

// The roster's filters changed before the page's scripts ran (a slow signal shows the page
// first; htmx listens only once it has set the page up, after every deferred script): once it
// has, a field that differs from what the server drew is sent as if typed now, so the list
// below matches the filters shown. (Without JavaScript, Enter or "Filter" sends them.)
document.addEventListener("DOMContentLoaded", () => {  // after htmx's set-up
  const form = document.getElementById("athlete-filter");
  if (!form || !window.htmx) return;
  const changed = Array.from(form.elements).find((el) => {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {  // one choice; with none marked, the first is the drawn one
      const drawn = Array.from(el.options).find((o) => o.defaultSelected) || el.options[0];
      return Boolean(drawn) && el.value !== drawn.value;
    }
    return "defaultValue" in el && el.value !== el.defaultValue;
  });
  if (changed) changed.dispatchEvent(new Event("input", { bubbles: true }));
});

// The roster's parts loaded on demand (a row's "Manage", a squad card's "Show"): a <details>
// with hx-get and hx-trigger="roster-open" loads while it is open. Opened before htmx had set
// the page up (a slow signal), it loads as soon as htmx has; a failed load (a server error, no
// signal) is tried again the next time it is opened (its fallback link stays meanwhile); once
// loaded, its hx-get goes, so closing and opening it again sends nothing.
(function () {
  "use strict";
  const LAZY = "details[hx-get][hx-trigger='roster-open']";
  const sent = new WeakSet();  // on its way: not sent twice
  let ready = false;  // htmx has set the page up (its DOMContentLoaded ran before ours)

  function load(details) {
    if (!ready || !details.open || sent.has(details) || !details.matches(LAZY)) return;
    sent.add(details);
    window.htmx.trigger(details, "roster-open");
  }

  document.addEventListener("toggle", (event) => {  // toggle does not bubble: capture it
    if (event.target instanceof HTMLDetailsElement) load(event.target);
  }, true);
  document.addEventListener("htmx:afterRequest", (event) => {
    const details = event.detail.elt;
    if (!(details instanceof HTMLDetailsElement) || !sent.has(details)) return;
    if (event.detail.successful) details.removeAttribute("hx-get");
    sent.delete(details);
  });
  document.addEventListener("DOMContentLoaded", () => {  // after htmx's set-up
    if (!window.htmx) return;
    ready = true;
    document.querySelectorAll(LAZY).forEach(load);
  });
}());
