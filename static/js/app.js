// Small behaviours that the Content-Security-Policy keeps out of the templates.
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
