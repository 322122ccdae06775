// 个人信息: "+" adds an entry in the page and "−" marks one for removal, without a round
// trip. Without this file the same buttons work through the server.
(function () {
  "use strict";
  function addEntry(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var list = document.getElementById(prefix + "-list");
    var template = document.getElementById(prefix + "-template");
    if (!total || !list || !template) return false;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return true;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var entry = holder.firstElementChild;
    var number = entry.querySelector(".entry-number");
    if (number) number.textContent = String(list.querySelectorAll("[data-entry]").length + 1);
    list.appendChild(entry);
    total.value = String(index + 1);
    var empty = list.parentElement.querySelector(".empty-note");
    if (empty) empty.hidden = true;
    var first = entry.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
    document.dispatchEvent(new CustomEvent("yikao:entry-added", { detail: entry }));
    return true;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-entry]");
    if (button && addEntry(button.getAttribute("data-add-entry"))) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && /-DELETE$/.test(box.name)) {
      var entry = box.closest("[data-entry]");
      if (entry) entry.classList.toggle("removing", box.checked);
    }
  });
})();
