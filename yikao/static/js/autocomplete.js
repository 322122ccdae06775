/* Yikao directory autocomplete (progressive enhancement, no libraries, no inline script).
 *
 * <input id="school" data-autocomplete-url="/api/v1/directory/schools"
 *        data-autocomplete-target="school_code">
 * <input type="hidden" id="school_code">
 *
 * Typing shows a listbox (ARIA 1.2 combobox pattern) of matches from the JSON API;
 * ↑/↓ move, Enter chooses, Esc closes. Choosing puts the name in the visible input and
 * the code in the hidden one. The input gets class "matched" while its value is a
 * chosen entry, and "empty" when it is left empty.
 *
 * Also: <select data-refresh-on-change> submits its form through the form's
 * [data-refresh-button] (the region selects of the manual-entry form).
 */
(function () {
  "use strict";

  var counter = 0;

  function describe(item) {
    return [item.region, item.kind, item.level, item.category_name, item.code]
      .filter(function (part) { return part; })
      .join(" · ");
  }

  function setup(input) {
    var url = input.getAttribute("data-autocomplete-url");
    var target = document.getElementById(input.getAttribute("data-autocomplete-target") || "");
    var listId = (input.id || "ac" + (++counter)) + "-listbox";
    var wrap = document.createElement("div");
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var chosenName = target && target.value ? input.value : null;
    var timer = null;
    var controller = null;

    wrap.className = "ac-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    list.id = listId;
    list.className = "ac-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrap.appendChild(list);
    status.className = "skip-link";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    if (chosenName !== null && input.value) { input.classList.add("matched"); }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      input.value = item.name;
      chosenName = item.name;
      if (target) {
        target.value = item.code;
        target.dispatchEvent(new Event("change", { bubbles: true }));
      }
      input.classList.add("matched");
      input.classList.remove("empty");
      close();
    }

    function render(data) {
      items = Array.isArray(data) ? data : [];
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        var small = document.createElement("small");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(document.createTextNode(item.name));
        small.textContent = describe(item);
        li.appendChild(small);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input
          choose(i);
        });
        list.appendChild(li);
      });
      status.textContent = items.length ? "找到 " + items.length + " 条结果，按上下方向键选择" : "没有找到相符的结果";
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(-1);
      } else {
        close();
      }
    }

    function lookup() {
      var query = input.value.trim();
      if (!query) { render([]); status.textContent = ""; return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (data) { if (input.value.trim() === query) { render(data); } })
        .catch(function () { /* aborted or offline: keep what is shown */ });
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenName) {
        chosenName = null;
        input.classList.remove("matched");
        if (target && target.value) {
          target.value = "";
          target.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      input.classList.remove("empty");
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { lookup(); return; }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
      input.classList.toggle("empty", input.value.trim() === "");
      input.classList.toggle("matched", chosenName !== null && input.value === chosenName);
    });
  }

  function setupRefresh(select) {
    select.addEventListener("change", function () {
      var form = select.form;
      var button = form && form.querySelector("[data-refresh-button]");
      if (button) { button.click(); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete-url]"), setup);
    // Entries added in the page later (个人信息 "+", profile.js) get the live search too.
    document.addEventListener("yikao:entry-added", function (event) {
      Array.prototype.forEach.call(event.detail.querySelectorAll("input[data-autocomplete-url]"), setup);
    });
    Array.prototype.forEach.call(document.querySelectorAll("select[data-refresh-on-change]"), setupRefresh);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
