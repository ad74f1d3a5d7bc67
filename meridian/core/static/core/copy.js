// Copy buttons (<button data-copy="input-id" data-done="…" data-failed="…" hidden>): the
// text stays there to select and copy by hand without JavaScript, and the button hidden.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const input = document.getElementById(button.dataset.copy);
    const status = document.getElementById("copy-status");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        if (status) status.textContent = button.dataset.done || "Copied.";
      } catch {
        if (status) status.textContent = button.dataset.failed || "Press Ctrl+C (or Cmd+C) to copy the selected text.";
      }
    });
  });
});
