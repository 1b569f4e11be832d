// The request form, better with a script; without it the plain selects and rows still work.
// - A select marked data-chips (multiple) or data-typeahead (single) becomes a combobox
//   (WAI-ARIA APG, list autocomplete): type, then arrows and Enter or a click. The multiple one
//   shows its choices as chips, each with a remove button; Backspace in the empty input removes
//   the last. The hidden select stays what the server reads.
// - "Add another" copies a blank topic or language row, renumbered.
// - The clearance the experts need follows the classification until the user changes it.
(function () {
  "use strict";
  var form = document.querySelector("form.request-form");
  if (!form) { return; }
  var SHOWN = 8;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(select, key, fallback, text) {
    return (select.dataset[key] || fallback).replace("%(name)s", text);
  }

  function combo(select) {
    var multiple = select.multiple;
    var label = document.querySelector("label[for='" + select.id + "']");
    var name = label ? label.textContent.trim() : select.name;
    var box = document.createElement("div");
    box.className = "combo-box";
    var list = document.createElement("ul");
    list.className = "chips";
    list.setAttribute("aria-label", select.dataset.chosenLabel || name);
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-listbox");
    input.dataset.standsFor = select.id;
    ["aria-describedby", "aria-invalid"].forEach(function (attr) {
      if (select.hasAttribute(attr)) { input.setAttribute(attr, select.getAttribute(attr)); }
    });
    var listbox = document.createElement("ul");
    listbox.id = select.id + "-listbox";
    listbox.className = "listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", name);
    listbox.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    var active = -1;
    var shown = [];
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value; });

    function say(text) { status.textContent = text; }

    function chosen() { return options.filter(function (o) { return o.selected; }); }

    function drop(option) {
      option.selected = false;
      drawChips();
      say(words(select, "removedLabel", "%(name)s removed", option.text));
    }

    function drawChips() {
      if (!multiple) { return; }
      list.textContent = "";
      chosen().forEach(function (option) {
        var chip = document.createElement("li");
        chip.className = "chip";
        chip.appendChild(document.createTextNode(option.text));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", words(select, "removeLabel", "%(name)s, remove", option.text));
        remove.addEventListener("click", function () { drop(option); input.focus(); });
        chip.appendChild(remove);
        list.appendChild(chip);
      });
      list.hidden = !list.children.length;
    }

    function matches() {
      var typed = fold(input.value.trim());
      if (!typed) { return []; }
      var starts = [], inside = [];
      options.forEach(function (o) {
        if (multiple && o.selected) { return; }
        var at = fold(o.text).indexOf(typed);
        if (at === 0) { starts.push(o); } else if (at > 0) { inside.push(o); }
      });
      return starts.concat(inside).slice(0, SHOWN);
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var items = listbox.children;
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function open() {
      listbox.textContent = "";
      close();
      shown = matches();
      shown.forEach(function (option, i) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.id = select.id + "-option-" + i;
        item.textContent = option.text;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { pick(option); });
        listbox.appendChild(item);
      });
      listbox.hidden = !shown.length;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    }

    function pick(option) {
      close();
      if (multiple) {
        option.selected = true;
        input.value = "";
        drawChips();
        say(words(select, "addedLabel", "%(name)s added", option.text));
      } else {
        select.value = option.value;
        input.value = option.text;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    }

    function show() {
      var current = select.options[select.selectedIndex];
      input.value = current && current.value ? current.text : "";
    }

    function settle() {
      // A single choice shows what the select holds; an emptied input clears it.
      close();
      if (multiple) { return; }
      if (!input.value.trim()) { select.value = ""; }
      show();
    }

    input.addEventListener("input", open);
    input.addEventListener("blur", settle);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (listbox.hidden) { open(); }
        mark(event.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
      } else if (event.key === "Enter") {
        if (!listbox.hidden || (multiple && input.value)) { event.preventDefault(); }
        var at = active >= 0 ? active : (shown.length === 1 ? 0 : -1);
        if (!listbox.hidden && at >= 0) { pick(shown[at]); }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { close(); } else if (multiple) { input.value = ""; } else { settle(); }
      } else if (event.key === "Backspace" && multiple && !input.value && chosen().length) {
        drop(chosen()[chosen().length - 1]);
      }
    });

    select.hidden = true;
    select.tabIndex = -1;
    if (label) { label.htmlFor = input.id; }
    if (multiple) { box.appendChild(list); }
    box.appendChild(input);
    box.appendChild(listbox);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select.nextSibling);
    drawChips();
    if (!multiple) { show(); }
  }

  function renumber(row, index) {
    row.querySelectorAll("[id], [name], [for]").forEach(function (el) {
      ["id", "name", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-")); }
      });
    });
    row.querySelectorAll("label").forEach(function (lab) {
      lab.textContent = lab.textContent.replace(/\d+$/, String(index + 1));
    });
  }

  function addable(fieldset) {
    var button = fieldset.querySelector("[data-add-row]");
    var max = parseInt(fieldset.dataset.max, 10) || 20;
    function rows() { return fieldset.querySelectorAll("[data-row]"); }
    // A blank copy of a row as the server drew it, before any widget was added to it.
    var blank = rows()[rows().length - 1].cloneNode(true);
    blank.classList.remove("has-error");
    blank.querySelectorAll(".error").forEach(function (p) { p.remove(); });
    blank.querySelectorAll("select").forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (o) { o.removeAttribute("selected"); });
      s.removeAttribute("aria-invalid");
      s.removeAttribute("aria-describedby");
    });
    function update() { button.parentNode.hidden = rows().length >= max; }
    button.addEventListener("click", function () {
      var copy = blank.cloneNode(true);
      renumber(copy, rows().length);
      fieldset.insertBefore(copy, button.parentNode);
      copy.querySelectorAll("select").forEach(function (s) { s.value = ""; });
      copy.querySelectorAll("select[data-typeahead]").forEach(combo);
      update();
      (copy.querySelector("[role=combobox]") || copy.querySelector("select")).focus();
    });
    update();
  }

  function follow(leader, follower) {
    var touched = follower.value !== "" && follower.value !== leader.value;
    if (!touched) { follower.value = leader.value; }
    follower.addEventListener("change", function () { touched = true; });
    leader.addEventListener("change", function () {
      if (!touched) { follower.value = leader.value; }
    });
  }

  form.querySelectorAll("[data-rows]").forEach(addable);
  form.querySelectorAll("select[data-chips], select[data-typeahead]").forEach(combo);
  var classification = form.querySelector("#classification");
  var needed = form.querySelector("#required_clearance");
  if (classification && needed) { follow(classification, needed); }
})();
