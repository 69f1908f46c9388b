// DKFDS's own behaviour for the header: the main menu's submenus, the "more" menu when the entries do
// not fit, and the phone drawer with its focus trap. Only these parts of dkfds.js are started, so the
// design system's table and form scripts never rewrite Fasthold's markup.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof DKFDS === "undefined") return;
  document.querySelectorAll(".header .js-dropdown").forEach(function (button) {
    new DKFDS.Dropdown(button).init();
  });
  document.querySelectorAll(".header .js-menudropdown").forEach(function (button) {
    new DKFDS.MenuDropdown(button).init();
  });
  new DKFDS.Navigation().init();
});
