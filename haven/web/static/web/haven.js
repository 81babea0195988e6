/* Haven's small client layer: CSRF for htmx, masonry columns, carousels. No framework, no CDN. */
(function () {
  "use strict";

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  window.havenCsrfToken = csrfToken;

  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRFToken"] = csrfToken();
  });

  /* Flash messages sit above the page; a close button (shown only with script) takes one away. */
  function closableMessages(root) {
    (root || document).querySelectorAll("[data-message-close][hidden]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-message-close]");
    if (!button) return;
    var item = button.closest("[data-message]");
    if (!item) return;
    var list = item.parentElement;
    item.classList.add("is-leaving");
    window.setTimeout(function () {
      item.remove();
      if (list && !list.children.length) list.remove();
    }, 200);
  });
  document.addEventListener("DOMContentLoaded", function () { closableMessages(document); });
  document.addEventListener("htmx:load", function (e) { closableMessages(e.target); });

  /* Masonry: cards live in .feed-source in ranking order; they are dealt into N columns, each card
     going to the currently shortest column (heights estimated from the cover's aspect ratio). */
  function columnCount(feed) {
    var w = feed.clientWidth;
    if (w >= 1180) return 5;
    if (w >= 880) return 4;
    if (w >= 640) return 3;
    return 2;
  }
  function layoutFeed(feed) {
    var source = feed.querySelector(".feed-source");
    if (!source) return;
    var n = columnCount(feed);
    var cols = Array.prototype.slice.call(feed.querySelectorAll(":scope > .feed-col"));
    if (cols.length !== n) {
      var cards = [];
      cols.forEach(function (c) { cards = cards.concat(Array.prototype.slice.call(c.children)); });
      cards.sort(function (a, b) { return (+a.dataset.order) - (+b.dataset.order); });
      cols.forEach(function (c) { c.remove(); });
      cols = [];
      for (var i = 0; i < n; i++) {
        var col = document.createElement("div");
        col.className = "feed-col";
        col.dataset.h = "0";
        feed.appendChild(col);
        cols.push(col);
      }
      cards.forEach(function (card) { place(cols, card); });
    }
    Array.prototype.slice.call(source.children).forEach(function (card) { place(cols, card); });
  }
  var orderSeq = 0;
  function place(cols, card) {
    if (!card.dataset.order) card.dataset.order = String(orderSeq++);
    var best = cols[0];
    cols.forEach(function (c) { if (+c.dataset.h < +best.dataset.h) best = c; });
    var ratio = parseFloat(card.dataset.ratio || "0.75");
    best.dataset.h = String(+best.dataset.h + 1 / ratio + 0.35);
    best.appendChild(card);
  }
  function layoutAll(root) {
    (root || document).querySelectorAll(".feed").forEach(function (f) {
      f.classList.remove("no-js");
      layoutFeed(f);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { layoutAll(document); initCarousels(document); });
  document.addEventListener("htmx:afterSettle", function (e) { layoutAll(document); initCarousels(e.target); });
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { layoutAll(document); }, 150);
  });

  /* Carousel: scroll-snap track with buttons, dots, counter and arrow keys. */
  function initCarousels(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".carousel:not([data-ready])").forEach(function (c) {
      c.dataset.ready = "1";
      var track = c.querySelector(".carousel-track");
      var slides = c.querySelectorAll(".carousel-slide");
      var dots = c.querySelectorAll(".carousel-dots span");
      var count = c.querySelector(".carousel-count");
      function index() { return Math.round(track.scrollLeft / Math.max(1, track.clientWidth)); }
      function go(i) {
        i = Math.max(0, Math.min(slides.length - 1, i));
        track.scrollTo({ left: i * track.clientWidth, behavior: "smooth" });
      }
      function update() {
        var i = index();
        dots.forEach(function (d, k) { d.setAttribute("aria-current", k === i ? "true" : "false"); });
        if (count) count.textContent = (i + 1) + "/" + slides.length;
        slides.forEach(function (s, k) { s.setAttribute("aria-hidden", k === i ? "false" : "true"); });
      }
      var prev = c.querySelector(".carousel-nav.prev"), next = c.querySelector(".carousel-nav.next");
      if (prev) prev.addEventListener("click", function () { go(index() - 1); });
      if (next) next.addEventListener("click", function () { go(index() + 1); });
      track.addEventListener("scroll", function () { window.requestAnimationFrame(update); });
      c.addEventListener("keydown", function (e) {
        if (e.key === "ArrowLeft") { go(index() - 1); e.preventDefault(); }
        if (e.key === "ArrowRight") { go(index() + 1); e.preventDefault(); }
      });
      update();
    });
  }
  window.havenLayout = layoutAll;

  /* Video cards: the muted preview over the poster plays while the card is on screen, at most
     MAX_PREVIEWS at once (the most visible ones); never with prefers-reduced-motion or Save-Data. */
  var MAX_PREVIEWS = 2;
  var previewObserver = null, previewsShown = new Map(), previewsPlaying = [];
  function previewsAllowed() {
    if (!("IntersectionObserver" in window)) return false;
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) return false;
    return !(navigator.connection && navigator.connection.saveData);
  }
  function settlePreviews() {
    var want = [];
    if (!document.hidden) {
      want = Array.from(previewsShown.entries())
        .filter(function (e) { return e[0].isConnected; })
        .sort(function (a, b) { return b[1] - a[1]; })
        .slice(0, MAX_PREVIEWS)
        .map(function (e) { return e[0]; });
    }
    previewsPlaying.forEach(function (v) { if (want.indexOf(v) < 0) v.pause(); });
    want.forEach(function (v) {
      if (!v.paused) return;
      var played = v.play();
      if (played && played.catch) played.catch(function () { /* not allowed now: the poster stays */ });
    });
    previewsPlaying = want;
  }
  function observePreviews(root) {
    if (!previewsAllowed()) return;
    if (!previewObserver) {
      previewObserver = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting && e.intersectionRatio >= 0.6) previewsShown.set(e.target, e.intersectionRatio);
          else previewsShown.delete(e.target);
        });
        settlePreviews();
      }, { threshold: [0, 0.6, 0.8, 1] });
    }
    (root.querySelectorAll ? root : document).querySelectorAll("video[data-card-preview]:not([data-observed])").forEach(function (v) {
      v.dataset.observed = "1";
      previewObserver.observe(v);
    });
  }
  document.addEventListener("playing", function (e) {
    if (e.target.matches && e.target.matches("video[data-card-preview]")) e.target.classList.add("is-playing");
  }, true);
  document.addEventListener("pause", function (e) {
    if (e.target.matches && e.target.matches("video[data-card-preview]")) e.target.classList.remove("is-playing");
  }, true);
  document.addEventListener("visibilitychange", settlePreviews);
  document.addEventListener("DOMContentLoaded", function () { observePreviews(document); });
  document.addEventListener("htmx:afterSettle", function () { observePreviews(document); });
})();
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el && el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
});
// Search suggestions: close when focus leaves the box or on Escape; arrow keys move through them.
(function () {
  function box(el) { return el && el.closest ? el.closest(".search-box") : null; }
  function close(b) { var s = b && b.querySelector(".search-suggest"); if (s) s.innerHTML = ""; }
  document.addEventListener("focusout", function (e) {
    var b = box(e.target);
    if (b && !(e.relatedTarget && b.contains(e.relatedTarget))) close(b);
  });
  document.addEventListener("keydown", function (e) {
    var b = box(e.target);
    if (!b) return;
    var links = Array.prototype.slice.call(b.querySelectorAll(".suggest-item"));
    var at = links.indexOf(document.activeElement);
    if (e.key === "Escape") { close(b); b.querySelector("input").focus(); }
    else if (e.key === "ArrowDown" && links.length) { links[Math.min(at + 1, links.length - 1)].focus(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && links.length) { if (at <= 0) b.querySelector("input").focus(); else links[at - 1].focus(); e.preventDefault(); }
  });
})();
