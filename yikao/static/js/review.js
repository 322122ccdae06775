// Back office: progressive enhancement only (every action works without this file).
(function () {
  "use strict";
  // 全选本页: ticks every checkbox named by data-select-all in the same form.
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
    if (!name) return;
    var boxes = event.target.form.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    boxes.forEach(function (box) { box.checked = event.target.checked; });
  });
  // A preset return reason fills the text box, where it can still be edited.
  document.addEventListener("change", function (event) {
    if (event.target.id !== "id_preset") return;
    var text = document.getElementById("id_reason");
    if (text && event.target.value) { text.value = event.target.value; event.target.value = ""; }
  });
})();
