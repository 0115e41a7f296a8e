// After a refused form the page reloads at the top; on a phone the error is far below.
// Bring the first error into view and put the cursor in its field.
document.addEventListener("DOMContentLoaded", function () {
  var error = document.querySelector("form .text-danger, form .invalid-feedback, form .alert-danger, [data-testid=import-errors]");
  if (!error) { return; }
  error.scrollIntoView({ block: "center" });
  var group = error.closest("div");
  var field = group && group.querySelector("input:not([type=hidden]), select, textarea");
  if (field) { field.focus({ preventScroll: true }); }
});
