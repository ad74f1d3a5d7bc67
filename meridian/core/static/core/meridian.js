// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Pre-select the browser's own time zone on forms that ask for one and are still at UTC.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("select[data-detect-zone]").forEach((select) => {
    if (select.value === "UTC" && zone && select.querySelector(`option[value="${zone}"]`)) {
      select.value = zone;
    }
  });
  // Show a range input's value in its <output> (the matching weights).
  document.querySelectorAll("input[type=range]").forEach((input) => {
    const out = document.getElementById(`${input.id}-out`);
    if (out) input.addEventListener("input", () => { out.value = input.value; });
  });
  // A table that stacks into cards on a phone (.stack): each cell without a data-label
  // takes its column's header as its label, also in rows htmx swaps in later.
  const labelCells = () => document.querySelectorAll("table.stack").forEach((table) => {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      [...row.children].forEach((cell, i) => {
        if (!cell.hasAttribute("data-label") && heads[i]) cell.dataset.label = heads[i];
      });
    });
  });
  labelCells();
  document.body.addEventListener("htmx:afterSettle", labelCells);
  // Ask before destructive buttons.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
