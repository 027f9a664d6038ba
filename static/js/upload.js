// Evidence upload: drag and drop, several files, one request and one progress bar per file.
// Without this script the form posts every file at once and the server answers with a page.
(function () {
  "use strict";

  function humanSize(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1048576) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function firstError(payload) {
    if (!payload || !payload.errors) return null;
    var messages = [];
    Object.keys(payload.errors).forEach(function (key) {
      payload.errors[key].forEach(function (m) { messages.push(m); });
    });
    return messages.join(" ");
  }

  function init(form) {
    var input = form.querySelector("input[type=file][name=files]");
    if (!input || !window.FormData || !window.XMLHttpRequest) return;
    var zone = form.querySelector("[data-dropzone]");
    var list = form.querySelector("[data-list]");
    var done = form.querySelector("[data-done]");
    var maxBytes = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var busy = false;

    zone.hidden = false;
    form.classList.add("enhanced");
    // The drop zone (with its own "choose files" button) replaces the plain chooser; the input
    // stays in the form, hidden, unless the server refused what it sent.
    var plain = input.closest(".field");
    if (plain && !plain.classList.contains("has-error")) plain.hidden = true;
    form.querySelector("[data-pick]").addEventListener("click", function () { input.click(); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("over");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change"));
      }
    });
    input.addEventListener("change", function () { showChosen(); });

    function row(file) {
      var li = document.createElement("li");
      li.className = "upload-item";
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name + " (" + humanSize(file.size) + ")";
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var state = document.createElement("span");
      state.className = "state";
      li.appendChild(name);
      li.appendChild(bar);
      li.appendChild(state);
      list.appendChild(li);
      return { li: li, bar: bar, state: state };
    }

    function showChosen() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var r = row(file);
        if (maxBytes && file.size > maxBytes) {
          r.li.classList.add("failed");
          r.state.textContent = form.getAttribute("data-msg-too-big");
        }
      });
    }

    function send(file, r, fields) {
      return new Promise(function (resolve) {
        var data = new FormData();
        fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
        data.append("files", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.getAttribute("action") || window.location.href);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) r.bar.value = Math.round((event.loaded / event.total) * 100);
        });
        xhr.addEventListener("load", function () {
          var payload = null;
          try { payload = JSON.parse(xhr.responseText); } catch (e) { payload = null; }
          if (xhr.status === 201 && payload && payload.items) {
            r.bar.value = 100;
            r.li.classList.add("ok");
            r.state.textContent = "";
            var link = document.createElement("a");
            link.href = payload.items[0].url;
            link.textContent = form.getAttribute("data-msg-done") + ": " + payload.items[0].title;
            r.state.appendChild(link);
            resolve(true);
          } else {
            r.li.classList.add("failed");
            r.state.textContent = firstError(payload) || form.getAttribute("data-msg-failed") + " (" + xhr.status + ")";
            resolve(false);
          }
        });
        xhr.addEventListener("error", function () {
          r.li.classList.add("failed");
          r.state.textContent = form.getAttribute("data-msg-network");
          resolve(false);
        });
        xhr.send(data);
      });
    }

    form.addEventListener("submit", function (event) {
      if (!input.files.length || busy) return; // let the server explain what is missing
      event.preventDefault();
      busy = true;
      var files = Array.prototype.slice.call(input.files);
      var fields = [];
      new FormData(form).forEach(function (value, key) {
        if (key === "files") return;
        if (key === "title" && files.length > 1) return; // each file keeps its own name
        fields.push([key, value]);
      });
      list.textContent = "";
      var rows = files.map(function (file) { return row(file); });
      // One file after another: each bar moves in turn, and the server is never flooded.
      var results = [];
      files.reduce(function (chain, file, i) {
        return chain.then(function () {
          return send(file, rows[i], fields).then(function (ok) { results.push(ok); });
        });
      }, Promise.resolve()).then(function () {
        busy = false;
        input.value = "";
        if (results.every(Boolean)) {
          done.hidden = false;
        } else {
          // The refusal is at the top of a long form: bring it to where the person is looking.
          var failed = list.querySelector(".upload-item.failed");
          if (failed) failed.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload]").forEach(init);
  });
})();
