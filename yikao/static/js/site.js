// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Sign-up: gender and birth date are read from a resident ID, so hide them for it.
  function syncIdFields() {
    var type = document.getElementById("id_id_type");
    if (!type) return;
    var derived = type.value === "resident_id";
    ["id_gender_group", "id_birth_date_group"].forEach(function (id) {
      var group = document.getElementById(id);
      if (group && !group.classList.contains("has-error")) group.hidden = derived;
    });
  }
  // A field left invalid is outlined in red as soon as the cursor leaves it. Forms of a
  // formset carry data-required instead of `required` (see profiles/forms.py); an entry
  // marked for removal is not judged.
  function markOnBlur(event) {
    var el = event.target;
    if (!el.matches || !el.matches("input, select, textarea") || !el.willValidate) return;
    if (el.closest(".removing")) return;
    var group = el.closest(".field");
    var blank = el.hasAttribute("data-required") && el.value.trim() === "";
    if (group) group.classList.toggle("has-error", blank || !el.checkValidity());
  }
  // 个人信息: "−" ticks an entry's 删除此条 checkbox (which alone works without this file),
  // greys the entry and offers 撤销.
  function setRemoving(entry, removing) {
    var box = entry.querySelector('input[name$="-DELETE"]');
    var tools = entry.querySelector("[data-entry-tools]");
    if (!box || !tools) return;
    box.checked = removing;
    entry.classList.toggle("removing", removing);
    tools.querySelector("[data-remove-entry]").hidden = removing;
    tools.querySelector("[data-undo-remove]").hidden = !removing;
    tools.querySelector(".entry-status").textContent = removing ? "此条将在提交后删除" : "";
    var body = entry.querySelector(".entry-body");
    if (body) body.inert = removing;
    if (removing) {
      entry.querySelectorAll(".field.has-error").forEach(function (group) {
        if (!group.querySelector(".field-error")) group.classList.remove("has-error");
      });
    }
  }
  function enhanceEntry(entry) {
    var tools = entry.querySelector("[data-entry-tools]");
    var row = entry.querySelector("[data-entry-remove]");
    var box = entry.querySelector('input[name$="-DELETE"]');
    if (!tools || !row || !box) return;
    tools.hidden = false;
    row.hidden = true;
    entry.classList.add("has-tools");
    setRemoving(entry, box.checked);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-remove-entry], [data-undo-remove]");
    var entry = button && button.closest("[data-entry]");
    if (!entry) return;
    var removing = button.hasAttribute("data-remove-entry");
    setRemoving(entry, removing);
    entry.querySelector(removing ? "[data-undo-remove]" : "[data-remove-entry]").focus();
  });
  document.addEventListener("yikao:entry-added", function (event) { enhanceEntry(event.detail); });
  // Forms that ask before an irreversible step (放弃报考).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // A select that refreshes its part of the page (考区 → 考点) without a second click.
  document.addEventListener("change", function (event) {
    var button = document.querySelector('[data-auto-submit-source="' + event.target.id + '"]');
    if (button) button.click();
  });
  document.addEventListener("DOMContentLoaded", function () {
    var type = document.getElementById("id_id_type");
    if (type) { type.addEventListener("change", syncIdFields); syncIdFields(); }
    document.addEventListener("focusout", markOnBlur);
    document.querySelectorAll("[data-entry]").forEach(enhanceEntry);
  });
})();
