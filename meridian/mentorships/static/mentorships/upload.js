// The upload's progress bar: htmx reports how much of the body has gone.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest ? event.target.closest("form") : null;
  const bar = form ? form.querySelector("progress.upload-progress") : null;
  if (bar && event.detail.lengthComputable) {
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  }
});
