/* Tag products on a note: "Place on photo" arms a row (the only row is armed from the start); a tap on a
   photo fills its hidden photo and per-mille point fields (kept in a <details> as the no-script way). */
(function () {
  "use strict";
  var form = document.querySelector("[data-tag-form]");
  if (!form) return;
  var armed = null;
  var rows = form.querySelectorAll("[data-tag-row]");
  form.querySelectorAll("[data-place][hidden]").forEach(function (b) { b.hidden = false; });
  form.classList.add("tag-form-js");
  if (rows.length === 1) armed = rows[0];  // one product: a tap on a photo places it at once
  function dots() {
    form.querySelectorAll(".tag-dot").forEach(function (d) { d.remove(); });
    form.querySelectorAll("[data-tag-row]").forEach(function (row) {
      var i = parseInt(row.querySelector("[data-t-image]").value, 10) - 1;
      var x = parseInt(row.querySelector("[data-t-x]").value, 10), y = parseInt(row.querySelector("[data-t-y]").value, 10);
      var photo = form.querySelector('[data-photo="' + i + '"]');
      if (!photo || isNaN(x) || isNaN(y)) return;
      var d = document.createElement("span");
      d.className = "tag-dot";
      d.style.left = (x / 10) + "%"; d.style.top = (y / 10) + "%";
      photo.appendChild(d);
    });
  }
  form.addEventListener("click", function (e) {
    var place = e.target.closest("[data-place]");
    if (place) {
      if (armed) armed.removeAttribute("data-placing");
      armed = place.closest("[data-tag-row]");
      armed.setAttribute("data-placing", "true");
      return;
    }
    var photo = e.target.closest("[data-photo]");
    if (photo && armed) {
      var box = photo.getBoundingClientRect();
      var x = Math.round(Math.max(0, Math.min(1, (e.clientX - box.left) / box.width)) * 1000);
      var y = Math.round(Math.max(0, Math.min(1, (e.clientY - box.top) / box.height)) * 1000);
      armed.querySelector("[data-t-image]").value = parseInt(photo.getAttribute("data-photo"), 10) + 1;
      armed.querySelector("[data-t-x]").value = x;
      armed.querySelector("[data-t-y]").value = y;
      armed.removeAttribute("data-placing");
      var placed = armed.querySelector("[data-placed]");
      if (placed) placed.textContent = (form.getAttribute("data-placed-text") || "").replace("{n}", String(parseInt(photo.getAttribute("data-photo"), 10) + 1));
      armed = rows.length === 1 ? rows[0] : null;
      dots();
    }
  });
  dots();
})();
