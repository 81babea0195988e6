/* The product editor: "Add a row" copies an empty variant row (the form already holds a few); the variant
   table's option headers (and, on a phone, each stacked cell's label) follow the option names as typed. */
(function () {
  "use strict";
  var table = document.querySelector("[data-variant-rows]");
  var body = table ? table.querySelector("tbody") : null;
  var btn = document.querySelector("[data-add-variant-row]");
  if (!table || !body) return;
  var fallback = table.getAttribute("data-option-default") || "";

  function optionLabel(i) {
    var input = document.getElementById("option-name-" + i);
    var name = input ? input.value.trim() : "";
    return name || fallback;
  }
  function relabel(i) {
    var label = optionLabel(i);
    var head = table.querySelector('[data-option-head="' + i + '"]');
    if (head) head.textContent = label;
    table.querySelectorAll('[data-option-cell="' + i + '"]').forEach(function (cell) {
      cell.setAttribute("data-label", label);
      var input = cell.querySelector("input");
      if (input) input.setAttribute("aria-label", label);
    });
  }
  function relabelAll() {
    table.querySelectorAll("[data-option-head]").forEach(function (head) {
      relabel(head.getAttribute("data-option-head"));
    });
  }
  document.querySelectorAll('input[id^="option-name-"]').forEach(function (input) {
    input.addEventListener("input", function () { relabel(input.id.slice("option-name-".length)); });
  });
  relabelAll();

  if (!btn) return;
  btn.addEventListener("click", function () {
    var last = body.lastElementChild;
    if (!last || body.children.length >= 60) return;
    var row = last.cloneNode(true);
    row.className = "";
    row.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") input.remove(); else input.value = "";
    });
    row.querySelectorAll(".variant-remove .tiny").forEach(function (el) { el.remove(); });
    body.appendChild(row);
    var first = row.querySelector("input[name=v_sku]");
    if (first) first.focus();
  });
})();
