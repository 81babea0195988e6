/* Tap-a-word glosses on pinyin-annotated Chinese text: a popover (a bottom sheet on phones) with
   the word's pinyin, meaning and "Save word". Loaded with the CSP nonce; no inline handlers. */
(function () {
  "use strict";
  var pop = null;
  var active = null;

  function wordOf(el) {
    var clone = el.cloneNode(true);
    clone.querySelectorAll("rt, rp").forEach(function (n) { n.remove(); });
    return clone.textContent.trim().slice(0, 32);
  }

  function contextOf(el, word) {
    var block = el.closest("p, .comment-body, .note-body, h2") || el.parentNode;
    var clone = block.cloneNode(true);
    clone.querySelectorAll("rt, rp").forEach(function (n) { n.remove(); });
    var text = clone.textContent.replace(/\s+/g, " ").trim();
    var at = text.indexOf(word);
    if (at < 0) { return text.slice(0, 120); }
    // The sentence around the word (bounded).
    var start = Math.max(0, text.lastIndexOf("。", at) + 1, at - 50);
    var stops = ["。", "！", "？", "!", "?", "\n"].map(function (c) { var i = text.indexOf(c, at); return i < 0 ? text.length : i + 1; });
    var end = Math.min(Math.min.apply(null, stops), at + word.length + 60);
    return text.slice(start, end).trim().slice(0, 200);
  }

  function ensurePop() {
    if (pop) { return pop; }
    pop = document.createElement("div");
    pop.className = "tr-pop";
    pop.id = "tr-pop";
    pop.hidden = true;
    pop.innerHTML = '<div class="tr-pop-inner" id="tr-pop-inner"></div>';
    document.body.appendChild(pop);
    return pop;
  }

  function place(el) {
    var p = ensurePop();
    if (window.matchMedia("(max-width: 719px)").matches) {
      p.classList.add("is-sheet");
      p.style.left = ""; p.style.top = "";
      return;
    }
    p.classList.remove("is-sheet");
    var r = el.getBoundingClientRect();
    var width = Math.min(320, window.innerWidth - 16);
    var left = Math.min(Math.max(8, r.left + window.scrollX - 16), window.scrollX + window.innerWidth - width - 8);
    p.style.left = left + "px";
    p.style.top = (r.bottom + window.scrollY + 8) + "px";
  }

  function close() {
    if (pop) { pop.hidden = true; }
    if (active) { active.classList.remove("is-active"); active = null; }
  }

  function open(el) {
    var box = el.closest("[data-gloss-url]") || document.querySelector("[data-gloss-url]");
    if (!box || !window.htmx) { return; }
    var word = wordOf(el);
    if (!word) { return; }
    if (active) { active.classList.remove("is-active"); }
    active = el;
    el.classList.add("is-active");
    var p = ensurePop();
    var note = (el.closest("[data-note]") || {}).dataset ? el.closest("[data-note]").dataset.note : "";
    var params = new URLSearchParams({ word: word, context: contextOf(el, word) });
    if (note) { params.set("note", note); }
    p.querySelector(".tr-pop-inner").innerHTML = '<div class="gloss"><p class="gloss-loading">' + word.replace(/[<>&"]/g, "") + " …</p></div>";
    p.hidden = false;
    place(el);
    window.htmx.ajax("GET", box.dataset.glossUrl + "?" + params.toString(), { target: "#tr-pop-inner", swap: "innerHTML" });
  }

  function prepare(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".tr-box .w").forEach(function (w) {
      w.setAttribute("role", "button");
      w.setAttribute("tabindex", "0");
    });
  }

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) { return; }
    if (t.closest("[data-gloss-close]")) { close(); return; }
    var w = t.closest(".tr-box .w");
    if (w) { e.preventDefault(); open(w); return; }
    if (pop && !pop.hidden && !t.closest(".tr-pop")) { close(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { close(); return; }
    var t = e.target;
    if ((e.key === "Enter" || e.key === " ") && t instanceof Element && t.matches(".tr-box .w")) {
      e.preventDefault(); open(t);
    }
  });
  document.addEventListener("htmx:load", function (e) { prepare(e.target); });
  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
})();
