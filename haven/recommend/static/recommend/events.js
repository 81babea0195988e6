/* Interaction events for Discover's recommendations (loaded for signed-in members only): impressions of
   cards in a [data-track] feed (at least half visible for half a second, once per note per page), an
   "open" and the reading time ("dwell") on the note page, and shares; sent in batches of at most 50
   to /api/v1/recommend/events every few seconds and when the page is hidden (fetch keepalive).
   Also: the card's "⋯" menu closes on Escape, on a click elsewhere and once a choice is sent. */
(function () {
  "use strict";

  var ENDPOINT = "/api/v1/recommend/events";
  var BATCH = 50;
  var SEND_EVERY_MS = 4000;
  var QUEUE_CAP = 200; /* events waiting at most; more are dropped (the server would refuse a flood) */
  var VISIBLE_MS = 500;
  var queue = [];
  var timer = null;

  function csrfToken() {
    if (window.havenCsrfToken) return window.havenCsrfToken();
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function send() {
    window.clearTimeout(timer);
    timer = null;
    while (queue.length) {
      var batch = queue.splice(0, BATCH);
      try {
        window.fetch(ENDPOINT, {
          method: "POST",
          keepalive: true,
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
          body: JSON.stringify({ events: batch })
        }).catch(function () {});
      } catch (err) { /* events are best effort */ }
    }
  }

  function record(event) {
    if (!event.note_id || queue.length >= QUEUE_CAP) return;
    queue.push(event);
    if (queue.length >= BATCH) send();
    else if (!timer) timer = window.setTimeout(send, SEND_EVERY_MS);
  }

  function code(value, max) {
    value = String(value || "");
    return /^[A-Za-z0-9_.:+-]*$/.test(value) ? value.slice(0, max) : "";
  }

  /* Impressions. */
  var shown = {};
  var pending = new Map();
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var card = entry.target;
      var id = parseInt(card.dataset.noteId, 10);
      if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
        if (shown[id] || pending.has(card)) return;
        pending.set(card, window.setTimeout(function () {
          pending.delete(card);
          if (shown[id]) return;
          shown[id] = true;
          observer.unobserve(card);
          var feed = card.closest("[data-track]");
          record({
            kind: "impression",
            note_id: id,
            value: Math.max(0, parseInt(card.dataset.order || "0", 10) || 0),
            source: code(card.dataset.source, 16),
            model_version: code(feed && feed.dataset.modelVersion, 64)
          });
        }, VISIBLE_MS));
      } else if (pending.has(card)) {
        window.clearTimeout(pending.get(card));
        pending.delete(card);
      }
    });
  }, { threshold: [0, 0.5, 1] }) : null;

  function watchCards() {
    if (!observer) return;
    document.querySelectorAll("[data-track] [data-note-id]:not([data-watched])").forEach(function (card) {
      card.dataset.watched = "1";
      observer.observe(card);
    });
  }

  /* The note page: one "open", then the time it is on screen, sent each time the page is hidden. */
  var page = null;
  var visibleSince = 0;
  var readMs = 0;

  function pauseReading() {
    if (visibleSince) { readMs += Date.now() - visibleSince; visibleSince = 0; }
  }
  function sendReading() {
    pauseReading();
    if (page && readMs >= 1000) {
      record({ kind: "dwell", note_id: page, value: Math.round(readMs) });
      readMs = 0;
    }
    send();
  }

  function start() {
    watchCards();
    var note = document.querySelector("[data-track-note]");
    if (note) {
      page = parseInt(note.dataset.trackNote, 10) || null;
      record({ kind: "open", note_id: page });
      if (document.visibilityState === "visible") visibleSince = Date.now();
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendReading();
    else if (page && !visibleSince) visibleSince = Date.now();
  });
  window.addEventListener("pagehide", sendReading);
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && page && document.visibilityState === "visible") visibleSince = Date.now();
  });

  /* Shares from the note page (the share button and "Send to chat"). */
  document.addEventListener("click", function (e) {
    var share = e.target.closest && e.target.closest("[data-share], [data-send-to-chat]");
    if (share && page) { record({ kind: "share", note_id: page }); send(); }
  });

  /* The card menu: close on Escape and on a click elsewhere; once a choice is sent, close it. */
  function closeMenus(except) {
    document.querySelectorAll("details[data-card-menu][open]").forEach(function (d) {
      if (d !== except) d.open = false;
    });
  }
  document.addEventListener("click", function (e) {
    var inside = e.target.closest && e.target.closest("details[data-card-menu]");
    closeMenus(inside);
    var dismiss = e.target.closest && e.target.closest("[data-dismiss-notice]");
    if (dismiss) { var n = dismiss.closest(".card-dismissed"); if (n) n.remove(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector("details[data-card-menu][open]");
    if (open) { open.open = false; var s = open.querySelector("summary"); if (s) s.focus(); }
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var menu = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("details[data-card-menu]");
    if (menu) menu.open = false;
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    watchCards();
    var notice = e.detail.target && e.detail.target.querySelector && e.detail.target.querySelector(".card-dismissed button");
    if (notice) notice.focus();
  });

  /* For tests and other scripts: send what is waiting now; how many events wait. */
  window.havenEvents = { flush: send, pending: function () { return queue.length; } };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
