/* The vertical video feed (feeds/videos.html): one video per screen. The video on screen plays (muted
   until the viewer taps; that choice sticks), the next one preloads, those further than KEEP slides
   away give their source back. Captions through <track> elements (CC cycles off, each track and the
   bilingual one; the choice sticks), a progress bar, a view reported after VIEW_AFTER_S seconds of
   playback, and more slides fetched as the viewer nears the end. No inline scripts (CSP). */
(function () {
  "use strict";
  var feed = document.querySelector("[data-video-feed]");
  if (!feed) return;

  var KEEP = 2; // slides either side of the current one that keep their source
  var VIEW_AFTER_S = 2;
  var MORE_WHEN_LEFT = 3; // fetch the next page when this few slides are left
  var CUE_LINE = -5; // captions sit on the fifth line from the bottom, clear of the overlay
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var saveData = !!(navigator.connection && navigator.connection.saveData);
  var labels = feed.dataset;

  function stored(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem("haven.videos." + key);
      window.localStorage.setItem("haven.videos." + key, value);
    } catch (e) { /* storage refused: the choice lasts for this page */ }
    return null;
  }
  var state = {
    muted: stored("sound") !== "on",
    cc: stored("cc") || "off", // "off" | "default" | "bilingual" | "lang:<code>"
    current: -1,
    loading: false,
  };

  function slides() { return Array.prototype.slice.call(feed.querySelectorAll(".vslide")); }
  function videoOf(slide) { return slide ? slide.querySelector("video") : null; }
  function currentSlide() { return slides()[state.current] || null; }
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  /* Sources: 720p unless the screen is small or the viewer saves data. */
  function sourceOf(video) {
    var hd = video.getAttribute("data-src-720") || "", sd = video.getAttribute("data-src-480") || "";
    var pixels = Math.min(window.innerWidth, window.innerHeight) * (window.devicePixelRatio || 1);
    if (saveData || pixels < 600) return sd || hd;
    return hd || sd;
  }
  function load(slide, preload) {
    var video = videoOf(slide);
    if (!video) return;
    video.preload = preload;
    if (!video.getAttribute("src")) {
      var src = sourceOf(video);
      if (src) video.src = src;
    }
  }
  function release(slide) {
    var video = videoOf(slide);
    if (!video || !video.getAttribute("src")) return;
    video.pause();
    video.removeAttribute("src");
    video.preload = "none";
    video.load(); // drops the buffered media
  }

  /* Sound: every video follows state.muted; the buttons say so. */
  function showSound() {
    feed.querySelectorAll("[data-vmute]").forEach(function (b) {
      b.setAttribute("aria-pressed", state.muted ? "false" : "true");
      b.setAttribute("aria-label", state.muted ? labels.labelUnmute : labels.labelMute);
    });
  }
  function setMuted(muted) {
    state.muted = muted;
    stored("sound", muted ? "off" : "on");
    var video = videoOf(currentSlide());
    if (video) video.muted = muted;
    showSound();
  }

  function play(slide) {
    var video = videoOf(slide);
    if (!video) return;
    video.muted = state.muted;
    var started = video.play();
    slide.classList.remove("is-paused");
    if (started && started.catch) {
      started.catch(function () {
        if (!video.muted) { // sound refused without a gesture: play muted, the choice is kept
          video.muted = true;
          showSoundOf(true);
          video.play().catch(function () { slide.classList.add("is-paused"); });
        } else {
          slide.classList.add("is-paused");
        }
      });
    }
  }
  function showSoundOf(muted) {
    var b = currentSlide() && currentSlide().querySelector("[data-vmute]");
    if (b) b.setAttribute("aria-pressed", muted ? "false" : "true");
  }
  function togglePlay(slide) {
    var video = videoOf(slide);
    if (!video) return;
    if (video.paused) { load(slide, "auto"); play(slide); }
    else { video.pause(); slide.classList.add("is-paused"); }
  }

  /* Captions: the options of a slide are off, each track, and the bilingual track when offered. */
  function tracksOf(slide) {
    var video = videoOf(slide);
    return video ? Array.prototype.slice.call(video.querySelectorAll("track")) : [];
  }
  function chosenTrack(slide) {
    var tracks = tracksOf(slide);
    if (!tracks.length || state.cc === "off") return null;
    var pick = function (code) { return tracks.filter(function (t) { return t.dataset.caption === code; })[0] || null; };
    var plain = tracks.filter(function (t) { return t.dataset.caption !== "bilingual"; });
    var fallback = tracks.filter(function (t) { return t.hasAttribute("data-default"); })[0] || plain[0] || tracks[0];
    if (state.cc === "bilingual") return pick("bilingual") || fallback;
    if (state.cc.indexOf("lang:") === 0) return pick(state.cc.slice(5)) || fallback;
    return fallback;
  }
  function liftCues(trackEl) { // above the overlay at the bottom (author, title, progress)
    var track = trackEl.track, cues = track && track.cues;
    if (!cues || !cues.length || cues[0].line === CUE_LINE) return;
    for (var i = 0; i < cues.length; i++) cues[i].line = CUE_LINE;
    if (track.mode === "showing") { track.mode = "hidden"; track.mode = "showing"; } // redraw cues on screen
  }
  function applyCaptions(slide) {
    var chosen = chosenTrack(slide);
    tracksOf(slide).forEach(function (t) {
      if (t.track) t.track.mode = t === chosen ? "showing" : "disabled";
    });
    if (chosen) {
      liftCues(chosen);
      if (!chosen.dataset.lift) {
        chosen.dataset.lift = "1";
        chosen.addEventListener("load", function () { liftCues(chosen); });
      }
    }
    var button = slide.querySelector("[data-vcc]");
    if (!button) return;
    var name = chosen ? (chosen.dataset.caption === "bilingual" ? labels.labelBilingual : chosen.label) : "";
    button.setAttribute("aria-pressed", chosen ? "true" : "false");
    button.setAttribute("aria-label", chosen ? labels.labelCc.replace("%(track)s", name) : labels.labelCcOff);
    var short = button.querySelector("[data-vcc-label]");
    if (short) short.textContent = name;
  }
  function cycleCaptions(slide) {
    var ordered = tracksOf(slide).slice().sort(function (a, b) { // the interface language's track first
      return (b.hasAttribute("data-default") ? 1 : 0) - (a.hasAttribute("data-default") ? 1 : 0);
    });
    var options = ["off"].concat(ordered.map(function (t) {
      return t.dataset.caption === "bilingual" ? "bilingual" : "lang:" + t.dataset.caption;
    }));
    var chosen = chosenTrack(slide);
    var now = !chosen ? "off" : chosen.dataset.caption === "bilingual" ? "bilingual" : "lang:" + chosen.dataset.caption;
    state.cc = options[(options.indexOf(now) + 1) % options.length];
    stored("cc", state.cc);
    applyCaptions(slide);
  }

  /* Which slide is on screen: the others pause, the next one preloads, far ones give their source back. */
  function activate(index) {
    var list = slides();
    if (index === state.current || index < 0 || index >= list.length) return;
    state.current = index;
    list.forEach(function (slide, i) {
      var distance = i - index, video = videoOf(slide);
      slide.classList.toggle("is-current", distance === 0);
      if (distance === 0) {
        load(slide, "auto");
        applyCaptions(slide);
        if (reduced || saveData) slide.classList.add("is-paused"); // the viewer starts it
        else play(slide);
      } else {
        if (video && !video.paused) video.pause();
        if (distance === 1 && !saveData) load(slide, "auto");
        else if (Math.abs(distance) > KEEP) release(slide);
        else if (video) video.preload = "none";
      }
    });
    showSound();
    if (list.length - index <= MORE_WHEN_LEFT) loadMore();
  }
  function go(delta) {
    var target = slides()[Math.max(0, state.current) + delta];
    if (target) target.scrollIntoView({ behavior: reduced ? "auto" : "smooth", block: "start" });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting && e.intersectionRatio >= 0.6) activate(slides().indexOf(e.target));
    });
  }, { root: feed, threshold: [0.6] });

  /* Progress and views. */
  function onTime(e) {
    var video = e.target, slide = video.closest && video.closest(".vslide");
    if (!slide || !video.matches || !video.matches(".vslide-video")) return;
    var duration = video.duration || (+slide.dataset.durationMs / 1000) || 0;
    var bar = slide.querySelector(".vslide-progress-bar");
    if (bar && duration) bar.style.transform = "scaleX(" + Math.min(1, video.currentTime / duration) + ")";
    var last = +(slide.dataset.lastTime || 0), step = video.currentTime - last;
    slide.dataset.lastTime = String(video.currentTime);
    if (step > 0 && step < 1.5) slide.dataset.played = String(+(slide.dataset.played || 0) + step);
    var needed = duration ? Math.min(VIEW_AFTER_S, Math.max(0.1, duration - 0.3)) : VIEW_AFTER_S;
    if (!slide.dataset.viewed && +(slide.dataset.played || 0) >= needed) reportView(slide);
  }
  function reportView(slide) {
    slide.dataset.viewed = "1";
    var headers = {};
    var token = csrfToken();
    if (token) headers["X-CSRFToken"] = token;
    fetch(slide.dataset.viewUrl, { method: "POST", credentials: "same-origin", headers: headers, keepalive: true })
      .catch(function () { /* a lost view is not worth a retry */ });
  }
  feed.addEventListener("timeupdate", onTime, true);
  feed.addEventListener("ended", function (e) { onTime(e); }, true);

  /* More slides: the next page's slides (an HTML fragment) appended, with their own "more" marker. */
  function loadMore() {
    var more = feed.querySelector("[data-vmore]");
    if (!more || state.loading) return;
    state.loading = true;
    fetch(more.dataset.nextUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        more.remove();
        var added = Array.prototype.slice.call(holder.children);
        added.forEach(function (el) { feed.appendChild(el); });
        added.forEach(function (el) {
          if (window.htmx) window.htmx.process(el);
          if (el.classList.contains("vslide")) observer.observe(el);
        });
        showSound();
      })
      .catch(function () { /* tried again when the viewer moves on */ })
      .then(function () { state.loading = false; });
  }

  /* Taps, buttons and keys. */
  feed.addEventListener("click", function (e) {
    var slide = e.target.closest(".vslide");
    if (!slide) return;
    if (e.target.closest("[data-vmute]")) { setMuted(!state.muted); return; }
    if (e.target.closest("[data-vcc]")) { cycleCaptions(slide); return; }
    var progress = e.target.closest("[data-vprogress]");
    var video = videoOf(slide);
    if (progress && video && video.duration) {
      var box = progress.getBoundingClientRect();
      video.currentTime = Math.max(0, Math.min(1, (e.clientX - box.left) / box.width)) * video.duration;
      return;
    }
    if (e.target.closest("a, button, [data-vmore]")) return;
    if (slides().indexOf(slide) !== state.current) return;
    if (video && video.muted) { // a tap unmutes (and plays); the choice sticks
      setMuted(false);
      if (video.paused) togglePlay(slide);
      return;
    }
    togglePlay(slide);
  });
  document.querySelectorAll("[data-vgo]").forEach(function (b) {
    b.addEventListener("click", function () { go(+b.dataset.vgo); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    var slide = currentSlide();
    switch (e.key) {
      case "ArrowDown": case "PageDown": case "j": go(1); break;
      case "ArrowUp": case "PageUp": case "k": go(-1); break;
      case " ": if (e.target.closest && e.target.closest("a, button")) return; if (slide) togglePlay(slide); break;
      case "m": setMuted(!state.muted); break;
      case "c": if (slide) cycleCaptions(slide); break;
      default: return;
    }
    e.preventDefault();
  });
  document.addEventListener("visibilitychange", function () {
    var slide = currentSlide(), video = videoOf(slide);
    if (!video) return;
    if (document.hidden) { video.dataset.wasPlaying = video.paused ? "" : "1"; video.pause(); }
    else if (video.dataset.wasPlaying) play(slide);
  });

  slides().forEach(function (s) { observer.observe(s); });
  showSound();
  if (slides().length) activate(0);
  feed.focus({ preventScroll: true });
})();
