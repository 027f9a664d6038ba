// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      var select = form.querySelector("select");
      var button = form.querySelector("button[type=submit]");
      if (button) button.classList.add("visually-hidden");
      if (select) select.addEventListener("change", function () {
        if (select.value) form.submit();
      });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    document.querySelectorAll("[data-tree]").forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("data-tree") === "expand";
        document.querySelectorAll(".tree details").forEach(function (d) { d.open = open; });
      });
    });
  });
})();
