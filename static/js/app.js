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

// The navigation's collapse (phone menu) and the Risks dropdown: the two behaviours the
// pages used from Bootstrap's script, which is not loaded (about 80 KB for these two).
(function () {
  function closeMenus(except) {
    document.querySelectorAll(".dropdown-menu.show").forEach(function (menu) {
      if (menu === except) { return; }
      menu.classList.remove("show");
      var toggle = menu.previousElementSibling;
      if (toggle) { toggle.classList.remove("show"); toggle.setAttribute("aria-expanded", "false"); }
    });
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-bs-toggle]");
    if (!toggle) { closeMenus(null); return; }
    event.preventDefault();
    if (toggle.dataset.bsToggle === "collapse") {
      var target = document.querySelector(toggle.dataset.bsTarget);
      var open = target.classList.toggle("show");
      toggle.setAttribute("aria-expanded", String(open));
    } else if (toggle.dataset.bsToggle === "dropdown") {
      var menu = toggle.nextElementSibling;
      closeMenus(menu);
      menu.setAttribute("data-bs-popper", "static");
      var shown = menu.classList.toggle("show");
      toggle.classList.toggle("show", shown);
      toggle.setAttribute("aria-expanded", String(shown));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector(".dropdown-menu.show");
    if (open) { closeMenus(null); open.previousElementSibling.focus(); }
  });
})();
