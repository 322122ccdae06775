/* Yikao directory autocomplete (progressive enhancement, no libraries, no inline script).
 *
 * <input id="school" data-autocomplete-url="/api/v1/directory/schools"
 *        data-autocomplete-target="school_code">
 * <input type="hidden" id="school_code">
 *
 * Typing shows a listbox (ARIA 1.2 combobox pattern) of matches from the JSON API, each
 * option the name on one line and its details (muted) on the next; ↑/↓ move, Enter
 * chooses, Esc closes, a tap chooses. Choosing puts the name in the visible input and
 * the code in the hidden one. The input gets class "matched" while its value is a
 * chosen entry (a note under it says 系统中已有), and "empty" when it is left empty; a
 * value typed but not in the list is kept, and the note says it will be checked. A name
 * typed in full that the list offers is taken as chosen when the cursor leaves.
 *
 * Also: <select data-refresh-on-change> submits its form through the form's
 * [data-refresh-button] (the region selects of the manual-entry form).
 */
(function () {
  "use strict";

  var counter = 0;
  var MATCHED = "系统中已有";
  var UNLISTED = "列表中没有此项，将按您填写的保存，审核时核对";

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
    var note = document.createElement("div");
    var noteId = listId.replace(/-listbox$/, "") + "-ac-note";
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
    note.id = noteId;
    note.className = "ac-note";
    note.hidden = true;
    wrap.parentNode.insertBefore(note, wrap.nextSibling);
    input.setAttribute(
      "aria-describedby",
      ((input.getAttribute("aria-describedby") || "") + " " + noteId).trim()
    );

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    // The note under the input: "matched" (picked from the list), "unlisted" (typed,
    // not in the list) or nothing (empty, or still typing).
    function showNote(state) {
      note.hidden = !state;
      note.className = "ac-note" + (state ? " ac-note-" + state : "");
      note.textContent = state === "matched" ? MATCHED : state === "unlisted" ? UNLISTED : "";
      input.classList.toggle("matched", state === "matched");
      input.classList.toggle("unlisted", state === "unlisted");
    }

    function settle() {
      var value = input.value.trim();
      if (!value) { showNote(""); return; }
      if (chosenName !== null && input.value === chosenName) { showNote("matched"); return; }
      for (var i = 0; i < items.length; i++) {
        if (items[i].name === value) { choose(i); return; }
      }
      showNote("unlisted");
    }

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
      input.classList.remove("empty");
      showNote("matched");
      close();
    }

    function render(data) {
      items = Array.isArray(data) ? data : [];
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        var details = document.createElement("span");
        li.id = listId + "-" + i;
        li.className = "ac-option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        name.className = "ac-name";
        name.textContent = item.name;
        details.className = "ac-details";
        details.textContent = describe(item);
        li.appendChild(name);
        if (details.textContent) { li.appendChild(details); }
        // mousedown, not click: it comes before the input's blur (and after a tap, not
        // while the list is scrolled with a finger); preventDefault keeps the focus.
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
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
        .then(function (data) {
          if (input.value.trim() !== query) { return; }
          render(data);
          // An answer that arrives after the cursor left: no list, just the note.
          if (document.activeElement !== input) { close(); settle(); }
        })
        .catch(function () { /* aborted or offline: keep what is shown */ });
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenName) {
        chosenName = null;
        showNote("");
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
      settle();
    });

    // As the page came: a saved code means the name was picked from the list.
    if (input.value.trim()) { showNote(chosenName !== null ? "matched" : "unlisted"); }
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
