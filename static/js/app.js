// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Report the browser's time zone, so pages of no organisation (and a new organisation's
  // default) use it until the user chooses one on the account page.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // IANA names (letters, digits, "/", "_", "-", "+") are valid cookie values as they are.
    if (zone && /^[A-Za-z0-9_+\/-]+$/.test(zone) && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* an old browser: the server's default zone applies */ }

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
    // A new organisation's slug follows its name until the user types one (the server
    // proposes it: Chinese names by their pinyin, and one that is free).
    document.querySelectorAll("input[data-slug-from]").forEach(function (slug) {
      var name = document.getElementById(slug.getAttribute("data-slug-from"));
      var url = slug.getAttribute("data-slug-url");
      if (!name || !url) return;
      var typed = slug.value !== "";
      var timer = null;
      var asked = 0;
      slug.addEventListener("input", function () { typed = slug.value !== ""; });
      name.addEventListener("input", function () {
        if (typed) return;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var mine = ++asked;
          window.fetch(url + "?name=" + encodeURIComponent(name.value), {
            credentials: "same-origin",
            headers: { "Accept": "application/json" }
          }).then(function (response) {
            return response.ok ? response.json() : null;
          }).then(function (data) {
            if (data && mine === asked && !typed) slug.value = data.slug;
          }).catch(function () { /* the server proposes it on saving */ });
        }, 250);
      });
    });
    // Narrow screens: the menus fold behind a button.
    document.querySelectorAll("[data-navtoggle]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("aria-controls"));
      if (!target) return;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        target.classList.toggle("open", open);
      });
    });
    // The switcher and the user menu: focus the search when opened; Escape or a click
    // elsewhere closes them.
    var menus = document.querySelectorAll("details.switcher, details.usermenu");
    menus.forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) return;
        menus.forEach(function (other) { if (other !== details) other.open = false; });
        var input = details.querySelector("input[type=search]");
        if (input) input.focus();
      });
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          details.open = false;
          details.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      menus.forEach(function (details) {
        if (details.open && !details.contains(event.target)) details.open = false;
      });
    });
  });
})();
