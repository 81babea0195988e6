/* Small behaviours of the note, drafts and collection pages: confirm before destructive posts,
   share links, back navigation, and closing <details> menus on outside click or Escape. */
(function () {
  "use strict";

  /* <form data-confirm="Delete this?">: ask first (plain and htmx submissions alike). */
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  /* [data-share]: the system share sheet where there is one, else copy the link. */
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-share]");
    if (!button) return;
    e.preventDefault();
    var url = button.dataset.share;
    if (navigator.share) {
      navigator.share({ title: button.dataset.shareTitle || document.title, url: url }).catch(function () {});
      return;
    }
    if (navigator.clipboard) {
      navigator.clipboard.writeText(url).then(function () { toast(button.dataset.copied || url); });
    } else {
      window.prompt("", url);
    }
  });

  /* [data-back]: go back when we came from this site, else follow the link. */
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-back]");
    if (!link) return;
    var ref = document.referrer;
    if (ref && ref.indexOf(window.location.origin + "/") === 0 && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });

  /* Close open <details class="action-menu|picker"> when clicking elsewhere or pressing Escape. */
  function closeMenus(except) {
    document.querySelectorAll("details.action-menu[open], details.picker[open]").forEach(function (d) {
      if (d !== except && !d.contains(except)) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (e) {
    var inside = e.target.closest && e.target.closest("details.action-menu, details.picker");
    closeMenus(inside);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector("details.action-menu[open], details.picker[open]");
    if (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) summary.focus();
    }
  });

  /* Flash messages (toasts) fade after a few seconds. */
  document.querySelectorAll(".messages li").forEach(function (item) {
    window.setTimeout(function () { item.remove(); }, 4500);
  });

  function toast(text) {
    var box = document.querySelector(".messages");
    if (!box) {
      box = document.createElement("ul");
      box.className = "messages";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    var item = document.createElement("li");
    item.textContent = text;
    box.appendChild(item);
    window.setTimeout(function () { item.remove(); }, 2500);
  }
  window.havenToast = window.havenToast || toast;
})();

// Sensitive content: the gate hides the carousel until the reader chooses to see it.
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reveal-sensitive]");
    if (!button) return;
    var media = button.closest(".note-media");
    if (media) media.classList.remove("is-sensitive");
    var gate = button.closest("[data-sensitive-gate]");
    if (gate) gate.remove();
  });
})();

// A video note's player: one view is reported after two seconds of play (or at the end of a shorter
// video), through the same endpoint as the video feed (POST data-view-url, counted once per viewer
// and note in ten minutes by the server).
(function () {
  var box = document.querySelector("[data-note-player][data-view-url]");
  var video = box && box.querySelector("video");
  if (!video) return;
  var sent = false;
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function report() {
    if (sent) return;
    var enough = Math.min(2, (video.duration || 2) - 0.1);
    if (video.currentTime < enough && !video.ended) return;
    sent = true;
    fetch(box.getAttribute("data-view-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
      keepalive: true
    }).catch(function () {});
  }
  video.addEventListener("timeupdate", report);
  video.addEventListener("ended", report);
})();

// The author's cover-frame form: "Use the frame on screen" copies the player's current time.
(function () {
  var button = document.querySelector("[data-poster-now]");
  var field = document.querySelector("[data-poster-at]");
  var video = document.querySelector("[data-note-player] video");
  if (!button || !field || !video) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    field.value = (Math.round(video.currentTime * 10) / 10).toFixed(1);
  });
})();
