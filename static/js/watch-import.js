/* The watch file's upload page (templates/training/log_import.html): a file over the limit is
   refused here, before it is sent (the server refuses it too, unread: sessions/import_views.py),
   and the page says it is reading while a large file goes up. */
(() => {
  "use strict";
  document.documentElement.classList.add("js"); // the review redraws with htmx: no "Update"
  const form = document.querySelector("form[data-max-bytes]");
  if (!form) return;
  const input = form.querySelector('input[type="file"]');
  const state = form.querySelector("[data-upload-state]");
  const button = form.querySelector('button[type="submit"]');
  const max = Number(form.dataset.maxBytes);

  const check = () => {
    const file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > max ? form.dataset.tooBig : "");
    return input.checkValidity();
  };

  input.addEventListener("change", () => {
    if (!check()) input.reportValidity();
  });
  form.addEventListener("submit", (event) => {
    if (!check()) {
      event.preventDefault();
      input.reportValidity();
      return;
    }
    if (state) state.textContent = "Sending and reading the file…";
    if (button) setTimeout(() => { button.disabled = true; }, 0);
  });
})();
