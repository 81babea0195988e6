/* The product page: option chips pick a variant (the select is the no-JS fallback), price and stock
   follow the choice, and the quantity stepper stays within 1..stock. */
(function () {
  "use strict";
  var form = document.querySelector("[data-product-form]");
  if (!form) return;
  var dataEl = document.getElementById("product-variants");
  var variants = dataEl ? JSON.parse(dataEl.textContent) : [];
  var picker = form.querySelector("[data-variant-picker]");
  var select = form.querySelector("[data-variant-select]");
  var fallback = form.querySelector("[data-variant-fallback]");
  var priceEl = document.querySelector("[data-price]");
  var compareEl = document.querySelector("[data-compare]");
  var note = form.querySelector("[data-stock-note]");
  var qty = form.querySelector("[data-qty-input]");
  var addBtn = form.querySelector("[data-add-to-cart]");
  var qtyMax = qty ? parseInt(qty.getAttribute("data-qty-max"), 10) || 99 : 99;
  var groups = picker ? Array.prototype.slice.call(picker.querySelectorAll("[data-option]")) : [];
  var chosen = {};

  function current() {
    var id = select ? parseInt(select.value, 10) : NaN;
    for (var i = 0; i < variants.length; i++) if (variants[i].id === id) return variants[i];
    return variants[0] || null;
  }
  function matches(v, sel) {
    for (var k in sel) if (Object.prototype.hasOwnProperty.call(sel, k) && v.options[k] !== sel[k]) return false;
    return true;
  }
  function available(v) { return v.stock === null || v.stock > 0; }

  var fromEl = document.querySelector(".price-from");
  function show(v) {
    if (!v) return;
    if (fromEl) fromEl.hidden = true; // a variant is chosen: its own price
    if (priceEl) priceEl.textContent = v.price_text;
    if (compareEl) {
      compareEl.hidden = !v.compare_text;
      var last = compareEl.lastChild;
      if (last && last.nodeType === 3) last.textContent = v.compare_text; else compareEl.appendChild(document.createTextNode(v.compare_text));
    }
    if (note) {
      if (v.stock_state === "low") note.textContent = note.getAttribute("data-low-template").replace("%(n)s", v.stock);
      else if (v.stock_state === "sold_out") note.textContent = note.getAttribute("data-sold-out-text");
      else note.textContent = "";
    }
    if (qty) {
      var max = v.stock === null ? qtyMax : Math.max(1, Math.min(qtyMax, v.stock));
      qty.max = max;
      if (parseInt(qty.value, 10) > max) qty.value = max;
    }
    if (addBtn) {
      var ok = available(v);
      addBtn.disabled = !ok;
      addBtn.querySelector("span").textContent = addBtn.getAttribute(ok ? "data-add-label" : "data-sold-out-label");
    }
  }

  function refreshChips() {
    groups.forEach(function (g) {
      var name = g.getAttribute("data-option");
      g.querySelectorAll("[data-value]").forEach(function (chip) {
        var value = chip.getAttribute("data-value");
        var trial = {};
        for (var k in chosen) if (k !== name) trial[k] = chosen[k];
        trial[name] = value;
        var any = variants.some(function (v) { return matches(v, trial) && available(v); });
        var ever = variants.some(function (v) { return v.options[name] === value && available(v); });
        chip.disabled = !ever; // no variant with this value is in stock at all
        if (any) chip.removeAttribute("data-unavailable"); else chip.setAttribute("data-unavailable", "true");
        chip.setAttribute("aria-pressed", chosen[name] === value ? "true" : "false");
      });
    });
  }

  function pick() {
    var found = null;
    for (var i = 0; i < variants.length; i++) {
      if (matches(variants[i], chosen) && Object.keys(variants[i].options).length === Object.keys(chosen).length) { found = variants[i]; break; }
    }
    if (found && select) select.value = String(found.id);
    refreshChips();
    show(found || current());
  }

  if (picker && groups.length) {
    picker.hidden = false;
    if (fallback) fallback.classList.add("visually-hidden");
    var start = current();
    if (start) chosen = Object.assign({}, start.options);
    groups.forEach(function (g) {
      g.addEventListener("click", function (e) {
        var chip = e.target.closest("[data-value]");
        if (!chip || chip.disabled) return;
        var name = g.getAttribute("data-option");
        chosen[name] = chip.getAttribute("data-value");
        // Keep the other choices when a variant has them; otherwise take the first variant in stock with this value.
        if (!variants.some(function (v) { return matches(v, chosen) && available(v); })) {
          var alt = variants.filter(function (v) { return v.options[name] === chosen[name] && available(v); })[0];
          if (alt) chosen = Object.assign({}, alt.options);
        }
        pick();
      });
    });
    pick();
  } else if (select) {
    select.addEventListener("change", function () { show(current()); });
  }

  form.querySelectorAll("[data-qty-step]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var step = parseInt(btn.getAttribute("data-qty-step"), 10);
      var value = (parseInt(qty.value, 10) || 1) + step;
      qty.value = Math.max(1, Math.min(parseInt(qty.max, 10) || qtyMax, value));
    });
  });
})();
