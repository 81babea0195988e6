/* The product editor: "Add a row" copies an empty variant row (the form already holds a few). */
(function () {
  "use strict";
  var btn = document.querySelector("[data-add-variant-row]");
  var body = document.querySelector("[data-variant-rows] tbody");
  if (!btn || !body) return;
  btn.addEventListener("click", function () {
    var last = body.lastElementChild;
    if (!last || body.children.length >= 60) return;
    var row = last.cloneNode(true);
    row.className = "";
    row.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") input.remove(); else input.value = "";
    });
    body.appendChild(row);
    var first = row.querySelector("input[name=v_sku]");
    if (first) first.focus();
  });
})();
