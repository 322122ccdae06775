// Photo forms, progressive enhancement only: the pages work without this file.
(function () {
  "use strict";
  function formatSize(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function noteFor(input) {
    var group = input.closest(".field");
    var note = group.querySelector(".file-note");
    if (!note) {
      note = document.createElement("div");
      note.className = "file-note";
      note.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", note);
    }
    return note;
  }
  function onChange(form, input) {
    var max = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var file = input.files && input.files[0];
    var group = input.closest(".field");
    var note = noteFor(input);
    group.classList.remove("has-error");
    if (!file) { note.textContent = ""; return; }
    // One file per form: choosing from the album clears the camera field and vice versa.
    form.querySelectorAll("input[type=file]").forEach(function (other) {
      if (other !== input && other.value) { other.value = ""; noteFor(other).textContent = ""; }
    });
    if (max && file.size > max) {
      input.value = "";
      group.classList.add("has-error");
      note.textContent = "文件过大（" + formatSize(file.size) + "，超过 " + formatSize(max) + "）。请先适当缩小后再试。";
      return;
    }
    note.textContent = "已选择：" + file.name + "（" + formatSize(file.size) + "）";
  }
  // Back to a page kept in the browser's cache: its buttons must work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form.photo-form button[aria-busy]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.photo-form").forEach(function (form) {
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        input.addEventListener("change", function () { onChange(form, input); });
      });
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (!button) return;
        var busy = button.getAttribute("data-busy-text");
        // Disabled after this tick, so the click still submits the form once.
        window.setTimeout(function () {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
          if (busy) button.textContent = busy;
        }, 0);
      });
    });
  });
})();
