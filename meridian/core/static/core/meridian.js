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
  // Ask before destructive buttons.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
