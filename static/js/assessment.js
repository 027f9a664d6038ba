// The gap assessment's rows save as you go: one queue per row, never two requests of a row at
// once, each carrying the clause it is for and the version it was loaded at. The page never
// replaces what you are typing in, so focus and text stay where they are; a row says "Saved."
// only when the server said so for its latest values. Without JavaScript each row is a plain
// form with a Save button.
(function () {
  "use strict";

  var TYPING_PAUSE = 700; // ms after the last keystroke in a text field before it is sent

  function Page(root) {
    this.root = root;
    this.texts = root.dataset;
    this.state = root.querySelector("[data-save-state]");
    this.rows = [];
    this.touched = false;
  }

  Page.prototype.text = function (name, count) {
    return (this.texts[name] || "").replace("%(count)s", String(count));
  };

  Page.prototype.update = function () {
    var pending = 0;
    var failed = 0;
    this.rows.forEach(function (row) {
      if (row.pending()) pending += 1;
      if (row.failed) failed += 1;
    });
    this.root.dataset.pending = String(pending);
    this.root.dataset.failed = String(failed);
    if (!this.touched || !this.state) return;
    if (pending) {
      this.state.textContent = pending > 1 ? this.text("textPending", pending) : this.text("textSaving");
    } else if (failed) {
      this.state.textContent = this.text("textProblems", failed);
    } else {
      this.state.textContent = this.text("textAllSaved");
    }
  };

  Page.prototype.scores = function (body) {
    if (body.rollups) {
      Object.keys(body.rollups).forEach(function (pk) {
        var el = document.getElementById("rollup-" + pk);
        if (el && body.rollups[pk] !== null) el.textContent = body.rollups[pk] + " %";
      });
    }
    var overall = document.getElementById("overall");
    if (overall && typeof body.overall === "number") overall.textContent = body.overall + " %";
  };

  function serialize(form) {
    var data = new FormData(form);
    data.delete("version");
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  function Row(form, page) {
    this.form = form;
    this.page = page;
    this.message = form.querySelector("[data-row-message]");
    this.busy = false; // a request of this row is in flight
    this.again = false; // a change came while it was: send the latest values after it
    this.timer = 0;
    this.held = false;
    this.failed = false;
    this.saved = serialize(form); // the values the server holds, as far as we know
  }

  Row.prototype.pending = function () {
    return this.busy || this.again || this.held || this.timer !== 0;
  };

  // A year still being typed (0002 on the way to 2027) is not a date to save: it waits until
  // the field is left, even when a save of the row's other fields comes first.
  Row.prototype.typingYear = function () {
    var field = document.activeElement;
    return Boolean(field && field.form === this.form && field.type === "date" && /^0/.test(field.value));
  };

  Row.prototype.show = function (kind, text) {
    if (!this.message) return;
    this.message.className = "rowmsg " + kind;
    this.message.setAttribute("role", kind === "error" ? "alert" : "status");
    this.message.textContent = text;
  };

  Row.prototype.later = function () {
    var row = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      row.timer = 0;
      row.send();
    }, TYPING_PAUSE);
    this.page.update();
  };

  Row.prototype.hold = function () {
    clearTimeout(this.timer);
    this.timer = 0;
    this.held = true;
    this.page.update();
  };

  Row.prototype.send = function (keepalive) {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.busy) {
      this.again = true;
      this.page.update();
      return;
    }
    this.again = false;
    if (!keepalive && this.typingYear()) return this.hold();
    this.held = false;
    var values = serialize(this.form);
    if (values === this.saved && !this.failed) {
      // Nothing new to save (a field left without a change, or already sent by the pause).
      if (this.message && this.message.classList.contains("saving")) {
        this.show("ok", this.page.text("textSaved"));
      }
      this.page.update();
      return;
    }
    this.busy = true;
    this.page.touched = true;
    this.show("saving", this.page.text("textSaving"));
    this.page.update();
    var row = this;
    fetch(this.form.action, {
      method: "POST",
      body: new FormData(this.form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: Boolean(keepalive),
    })
      .then(function (response) {
        return response.json().then(
          function (body) { row.done(response.status, body, values); },
          function () { row.done(response.status, {}, values); }
        );
      })
      .catch(function () { row.done(0, {}, values); });
  };

  Row.prototype.done = function (status, body, values) {
    this.busy = false;
    if (body.version && this.form.elements.version) this.form.elements.version.value = body.version;
    this.page.scores(body);
    if (typeof body.overdue === "boolean") this.form.classList.toggle("overdue", body.overdue);
    this.clearErrors();
    if (status === 200) {
      this.failed = false;
      this.saved = values;
      if (this.again) return this.send();
      this.show("ok", body.message || this.page.text("textSaved"));
    } else {
      this.failed = true;
      this.markErrors(body.errors || {});
      var text = status === 0 ? this.page.text("textFailed") : body.message || this.page.text("textUnsaved");
      this.show("error", text + this.describeErrors(body.errors || {}));
      // A newer change than the one refused: send it (a conflict is refused again, never
      // written over the colleague's edit).
      if (this.again && status !== 409) return this.send();
      this.again = false;
    }
    this.page.update();
  };

  Row.prototype.clearErrors = function () {
    Array.prototype.forEach.call(this.form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  };

  Row.prototype.markErrors = function (errors) {
    var form = this.form;
    var messageId = this.message ? this.message.id : "";
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.setAttribute) {
        field.setAttribute("aria-invalid", "true");
        if (messageId) field.setAttribute("aria-describedby", messageId);
      }
    });
  };

  Row.prototype.describeErrors = function (errors) {
    var form = this.form;
    return Object.keys(errors)
      .map(function (name) {
        var field = form.elements[name];
        var label = field && field.closest ? field.closest(".f") : null;
        var heading = label ? label.querySelector(".lbl") : null;
        return " " + (heading ? heading.textContent + ": " : "") + errors[name].join(" ");
      })
      .join("");
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-assessment]");
    if (!root || !window.fetch || !window.FormData) return;
    var page = new Page(root);
    Array.prototype.forEach.call(root.querySelectorAll("form[data-row]"), function (form) {
      var row = new Row(form, page);
      page.rows.push(row);
      form.addEventListener("change", function (event) {
        // A date field changes at every digit typed into its year (0002, 0020, 0202, 2027):
        // a year still being typed waits for the field to be left, a whole one for a pause.
        var field = event.target;
        if (field.type !== "date") row.send();
        else if (/^0/.test(field.value)) row.hold();
        else row.later();
      });
      form.addEventListener("input", function (event) {
        var type = event.target.type;
        if (type === "text" || type === "textarea") row.later();
      });
      form.addEventListener("focusout", function () {
        row.send(); // leaving a field sends what waited (nothing when nothing changed)
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        row.send();
      });
    });
    page.update();
    window.addEventListener("beforeunload", function (event) {
      var waiting = page.rows.filter(function (row) { return row.timer !== 0; });
      waiting.forEach(function (row) { row.send(true); });
      if (page.rows.some(function (row) { return row.pending(); })) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
