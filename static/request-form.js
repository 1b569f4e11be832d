// The request form, better with a script; without it the plain selects and rows still work.
// - A multiple select marked data-chips becomes a combobox (WAI-ARIA APG, list autocomplete)
//   with removable chips; the hidden select stays the source of truth the server reads.
// - "Add another" copies the last topic or language row, renumbered and blank.
// - The clearance the experts need follows the classification until the user changes it.
(function () {
  "use strict";
  var form = document.querySelector("form.request-form");
  if (!form) { return; }
  var SHOWN = 8;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function chips(select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    var name = label ? label.textContent.trim() : select.name;
    var box = document.createElement("div");
    box.className = "chips-box";
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
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value; });

    function say(text) { status.textContent = text; }

    function drawChips() {
      list.textContent = "";
      options.forEach(function (option) {
        if (!option.selected) { return; }
        var chip = document.createElement("li");
        chip.className = "chip";
        chip.appendChild(document.createTextNode(option.text));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (select.dataset.removeLabel || "%(name)s, remove").replace("%(name)s", option.text));
        remove.addEventListener("click", function () {
          option.selected = false;
          drawChips();
          say((select.dataset.removedLabel || "%(name)s removed").replace("%(name)s", option.text));
          input.focus();
        });
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
        if (o.selected) { return; }
        var text = fold(o.text);
        if (text.indexOf(typed) === 0) { starts.push(o); } else if (text.indexOf(typed) > 0) { inside.push(o); }
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
      active = -1;
      input.removeAttribute("aria-activedescendant");
      matches().forEach(function (option) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.id = select.id + "-option-" + option.value;
        item.textContent = option.text;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { add(option); });
        listbox.appendChild(item);
      });
      var any = listbox.children.length > 0;
      listbox.hidden = !any;
      input.setAttribute("aria-expanded", any ? "true" : "false");
    }

    function add(option) {
      option.selected = true;
      input.value = "";
      close();
      drawChips();
      say((select.dataset.addedLabel || "%(name)s added").replace("%(name)s", option.text));
      input.focus();
    }

    input.addEventListener("input", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (listbox.hidden) { open(); }
        mark(event.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
      } else if (event.key === "Enter") {
        if (!listbox.hidden || input.value) { event.preventDefault(); }
        var items = listbox.children;
        var pick = active >= 0 ? active : (items.length === 1 ? 0 : -1);
        if (!listbox.hidden && pick >= 0) {
          add(options.filter(function (o) { return select.id + "-option-" + o.value === items[pick].id; })[0]);
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { close(); } else { input.value = ""; }
      } else if (event.key === "Backspace" && !input.value) {
        var chosen = options.filter(function (o) { return o.selected; });
        if (chosen.length) {
          var last = chosen[chosen.length - 1];
          last.selected = false;
          drawChips();
          say((select.dataset.removedLabel || "%(name)s removed").replace("%(name)s", last.text));
        }
      }
    });

    select.hidden = true;
    select.tabIndex = -1;
    if (label) { label.htmlFor = input.id; }
    box.appendChild(list);
    box.appendChild(input);
    box.appendChild(listbox);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select.nextSibling);
    drawChips();
  }

  function renumber(row, index) {
    row.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (el) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/-\d+-/g, "-" + index + "-").replace(/-\d+$/, "-" + index)); }
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
    function update() { button.parentNode.hidden = rows().length >= max; }
    button.addEventListener("click", function () {
      var all = rows();
      var copy = all[all.length - 1].cloneNode(true);
      copy.classList.remove("has-error");
      copy.querySelectorAll(".error").forEach(function (p) { p.remove(); });
      copy.querySelectorAll("select").forEach(function (s) {
        s.value = "";
        s.removeAttribute("aria-invalid");
        s.removeAttribute("aria-describedby");
      });
      renumber(copy, all.length);
      all[all.length - 1].parentNode.insertBefore(copy, button.parentNode);
      update();
      copy.querySelector("select").focus();
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

  form.querySelectorAll("select[multiple][data-chips]").forEach(chips);
  form.querySelectorAll("[data-rows]").forEach(addable);
  var classification = form.querySelector("#classification");
  var needed = form.querySelector("#required_clearance");
  if (classification && needed) { follow(classification, needed); }
})();
