// Coach planning: template insertion, drag-and-drop on the block calendar, small niceties.
// Everything here is an enhancement: each action also works as a plain form or link.
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  // --- Templates: fill the session form in place instead of reloading the page. ---
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-template-notation]");
    const form = link && link.closest("form");
    if (!form) return;
    event.preventDefault();
    const box = form.querySelector("textarea[name=notation]");
    const title = form.querySelector("input[name=title]");
    const notes = form.querySelector("textarea[name=notes]");
    box.value = link.dataset.templateNotation;
    if (title && (!title.value || title.dataset.fromTemplate === "1")) {
      title.value = link.dataset.templateTitle;
      title.dataset.fromTemplate = "1";
    }
    if (notes && !notes.value) notes.value = link.dataset.templateNotes || "";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  });

  // --- Live preview: a request that fails never touches the form. htmx swaps nothing for an
  // error status (the responseHandling in templates/base.html), but with DEBUG on django-htmx
  // would put the error page in place of the whole document, and a login page answering a
  // timed-out session would land in the preview. So: the last good preview stays, and a short
  // note next to it says the preview failed until the next one works.
  const PREVIEW_STATUS = "preview-status";
  const isPreview = (event) => {
    const elt = event.detail && event.detail.elt;
    return Boolean(elt && elt.matches && elt.matches("[data-preview-source]"));
  };
  const previewFailed = (why) => {
    const status = document.getElementById(PREVIEW_STATUS);
    if (!status) return;
    status.hidden = false;
    status.textContent = `The preview could not be updated (${why}). What you typed is kept; ` +
      "the preview below is the last one that worked.";
  };
  const previewWorked = () => {
    const status = document.getElementById(PREVIEW_STATUS);
    if (status) { status.hidden = true; status.textContent = ""; }
  };
  const previewMarkup = /^\s*<(section|div) id="preview(-error)?"/;
  document.addEventListener("htmx:beforeOnLoad", (event) => {
    if (!isPreview(event)) return;
    const xhr = event.detail.xhr;
    if (xhr.status >= 400) {
      event.stopPropagation(); // keep django-htmx's DEBUG error page out of the form
    } else if (!previewMarkup.test(xhr.responseText || "")) {
      event.stopPropagation();
      event.preventDefault(); // not a preview (a login page after a redirect): swap nothing
      previewFailed("log in again to see it");
    }
  }, true);
  document.addEventListener("htmx:responseError", (event) => {
    if (!isPreview(event)) return;
    const status = event.detail.xhr.status;  // 401: the login expired (coach/access.py)
    previewFailed(status === 401 ? "log in again to see it" : `server error ${status}`);
  });
  document.addEventListener("htmx:sendError", (event) => {
    if (isPreview(event)) previewFailed("no connection to the server");
  });
  document.addEventListener("htmx:timeout", (event) => {
    if (isPreview(event)) previewFailed("the server took too long");
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (isPreview(event) && event.detail.successful) previewWorked();
  });

  // --- A workout typed before the page's scripts ran (a slow signal shows the form first;
  // htmx listens only once it has set the page up, after every deferred script): once it has,
  // a box whose text differs from what the server drew asks for the preview, as typing would
  // have. Its own "input changed" trigger would not: it takes the text it finds at set-up for
  // one already previewed. One request: the preview reads the whole form.
  let caughtUp = false;
  const previewTypedEarly = () => {
    if (caughtUp) return;
    caughtUp = true;
    const box = Array.from(document.querySelectorAll("[data-preview-source][hx-post]"))
      .find((el) => el.value !== el.defaultValue);
    if (box && window.htmx) window.htmx.ajax("POST", box.getAttribute("hx-post"), { source: box });
  };
  document.addEventListener("DOMContentLoaded", previewTypedEarly); // after htmx's set-up
  if (document.readyState === "complete") previewTypedEarly();

  // --- Calendar: drag a session to another day to move it; Alt/Ctrl/Cmd while dropping copies.
  let dragged = null;
  const isCopy = (event) => event.altKey || event.ctrlKey || event.metaKey;
  const clearTargets = () => {
    document.querySelectorAll(".slot.drop-target").forEach((el) => {
      el.classList.remove("drop-target", "drop-copy");
    });
  };
  document.addEventListener("dragstart", (event) => {
    const chip = event.target.closest && event.target.closest(".session-chip[draggable=true]");
    if (!chip) return;
    dragged = chip;
    event.dataTransfer.effectAllowed = "copyMove";
    event.dataTransfer.setData("text/plain", chip.id);
    chip.classList.add("dragging");
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });
  document.addEventListener("dragover", (event) => {
    const slot = dragged && event.target.closest && event.target.closest(".slot[data-date]");
    if (!slot) return;
    event.preventDefault();
    const copy = isCopy(event);
    event.dataTransfer.dropEffect = copy ? "copy" : "move";
    if (!slot.classList.contains("drop-target")) clearTargets();
    slot.classList.add("drop-target");
    slot.classList.toggle("drop-copy", copy);
  });
  document.addEventListener("dragleave", (event) => {
    const slot = event.target.closest && event.target.closest(".slot[data-date]");
    if (slot && !slot.contains(event.relatedTarget)) slot.classList.remove("drop-target", "drop-copy");
  });
  document.addEventListener("drop", (event) => {
    const slot = dragged && event.target.closest && event.target.closest(".slot[data-date]");
    if (!slot) return;
    event.preventDefault();
    const copy = isCopy(event);
    const chip = dragged;
    clearTargets();
    if (!copy && slot.contains(chip)) return; // dropped where it was
    window.htmx.ajax("POST", copy ? chip.dataset.copyUrl : chip.dataset.moveUrl, {
      source: slot,
      target: "#calendar",
      swap: "outerHTML",
      values: { date: slot.dataset.date, slot: slot.dataset.slot },
    });
  });

  // --- Calendar: the one move/copy menu (a <dialog> on the block page). A card's ⋯ is a link
  // to its session page's "Move or copy" form; with JavaScript it opens the menu filled with
  // that session's day, time of day and URLs, and the menu posts with htmx like a drop does.
  let placing = null; // the card the menu is open for
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-place-menu]");
    const dialog = document.getElementById("place-dialog");
    const chip = link && link.closest(".session-chip");
    if (!chip || !dialog || !dialog.showModal) return;
    event.preventDefault();
    const slot = chip.closest(".slot[data-date]");
    const form = dialog.querySelector("form");
    placing = chip;
    form.action = chip.dataset.moveUrl;
    form.elements.date.value = slot.dataset.date;
    form.elements.slot.value = slot.dataset.slot;
    dialog.querySelector("[data-place-title]").textContent = `“${chip.dataset.title}”`;
    dialog.showModal();
    form.elements.date.focus();
  });
  document.addEventListener("click", (event) => {
    const close = event.target.closest && event.target.closest("[data-place-close]");
    if (close) close.closest("dialog").close();
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id !== "place-form" || !placing) return;
    event.preventDefault();
    const copy = event.submitter && event.submitter.value === "copy";
    const chip = placing;
    form.closest("dialog").close();
    window.htmx.ajax("POST", copy ? chip.dataset.copyUrl : chip.dataset.moveUrl, {
      source: chip,
      target: "#calendar",
      swap: "outerHTML",
      values: { date: form.elements.date.value, slot: form.elements.slot.value },
    });
  });
  document.addEventListener("close", (event) => {
    if (event.target.id === "place-dialog") placing = null;
  }, true);

  // --- After the calendar is swapped, move focus to its notice so it is read out. ---
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target || target.id !== "calendar") return;
    const calendar = document.getElementById("calendar");
    const notice = calendar && calendar.querySelector(".notice");
    if (notice) {
      notice.setAttribute("tabindex", "-1");
      notice.focus({ preventScroll: true });
    }
  });
})();
