/* The note composer: uploads each photo at once to the media API (progress bar, then processing
   status by polling), reorders by drag-and-drop or move buttons, picks the cover, keeps alt texts,
   and counts characters. The form itself stays a plain Django POST of image_ids / alt_texts /
   cover_index, so the page also works (without instant uploads) when this script is off. */
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;

  var list = form.querySelector("[data-uploader]");
  var addSlot = list.querySelector(".add-slot");
  var dropTile = list.querySelector("[data-drop]");
  var fileInput = form.querySelector("#photo-input");
  var coverInput = form.querySelector("[data-cover-input]");
  var countEl = form.querySelector("[data-image-count]");
  var errorEl = form.querySelector("[data-upload-error]");
  var statusEl = form.querySelector("[data-composer-status]");
  var submitButtons = form.querySelectorAll("[data-submit]");
  var uploadUrl = form.dataset.uploadUrl;
  var maxImages = parseInt(form.dataset.maxImages, 10) || 18;
  var maxAlt = parseInt(form.dataset.maxAlt, 10) || 500;
  var ALLOWED_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"];
  var ALLOWED_EXT = /\.(jpe?g|png|webp|heic|heif)$/i;
  var PREVIEWABLE = /^image\/(jpeg|png|webp)$/;
  var MAX_PARALLEL = 3;
  var POLL_LIMIT_MS = 180000;

  var queue = [];
  var active = 0;
  var seq = 0;
  var coverItem = null;
  var coverChosen = false; // until the member picks one, the first photo is the cover
  var dragged = null;
  var dirty = false;

  function msg(name, n) {
    var text = form.dataset["msg" + name] || "";
    return n === undefined ? text : text.replace("%(n)s", String(n));
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon icon-sm");
    svg.setAttribute("aria-hidden", "true");
    var use = document.createElementNS(ns, "use");
    use.setAttribute("href", "#i-" + name);
    svg.appendChild(use);
    return svg;
  }
  function items() {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li.upload"));
  }
  function isFailed(li) {
    return li.dataset.state === "failed" || li.dataset.state === "error";
  }
  function submitted() {
    return items().filter(function (li) { return !!li.dataset.id && !isFailed(li); });
  }
  /* What counts toward the limit: every photo except those that failed (they are never posted). */
  function counted() {
    return items().filter(function (li) { return !isFailed(li); });
  }

  /* ---------- building and updating one photo ---------- */

  function toolButton(act, cls, iconName) {
    var b = el("button", cls);
    b.type = "button";
    b.dataset.act = act;
    if (iconName) b.appendChild(icon(iconName));
    return b;
  }

  function buildItem(file) {
    var li = el("li", "upload");
    li.dataset.state = "uploading";
    li.draggable = true;
    var thumb = el("div", "thumb");
    li._file = file;
    if (file && PREVIEWABLE.test(file.type)) {
      var img = document.createElement("img");
      img.alt = "";
      img.className = "thumb-preview";
      img.addEventListener("error", function () { dropPreview(li); }); // undecodable: no broken picture
      img.src = URL.createObjectURL(file);
      li._objectUrl = img.src;
      thumb.appendChild(img);
    }
    var cover = toolButton("cover", "thumb-cover");
    cover.textContent = msg("Cover");
    cover.setAttribute("aria-pressed", "false");
    thumb.appendChild(cover);
    thumb.appendChild(toolButton("remove", "thumb-remove", "x"));
    var move = el("div", "thumb-move");
    move.appendChild(toolButton("left", "", "left"));
    move.appendChild(toolButton("right", "", "right"));
    thumb.appendChild(move);
    var progress = el("div", "progress");
    progress.appendChild(el("span"));
    thumb.appendChild(progress);
    li.appendChild(thumb);
    var id = "alt-new-" + (++seq);
    var label = el("label", "visually-hidden");
    label.htmlFor = id;
    li.appendChild(label);
    var alt = el("input", "alt-input");
    alt.type = "text";
    alt.id = id;
    alt.maxLength = maxAlt;
    alt.placeholder = msg("AltPlaceholder");
    alt.disabled = true; // enabled (and submitted) once the photo has an id
    li.appendChild(alt);
    setState(li, "uploading");
    return li;
  }

  function dropPreview(li) {
    var img = li.querySelector(".thumb-preview");
    if (img) img.remove();
    if (li._objectUrl) {
      URL.revokeObjectURL(li._objectUrl);
      li._objectUrl = null;
    }
  }

  /* retryable: the failure may pass on its own (network, server busy), so offer "Try again". */
  function setState(li, state, text, retryable) {
    li.dataset.state = state;
    var thumb = li.querySelector(".thumb");
    var badge = thumb.querySelector(".thumb-state");
    var label = state === "uploading" ? msg("Uploading") : state === "ready" ? "" : state === "failed" || state === "error" ? (text || msg("Failed")) : msg("Processing");
    if (!label) {
      if (badge) badge.remove();
    } else {
      if (!badge) {
        badge = el("span", "thumb-state");
        thumb.appendChild(badge);
      }
      badge.textContent = label;
      badge.setAttribute("role", state === "failed" || state === "error" ? "alert" : "status");
    }
    var progress = thumb.querySelector(".progress");
    if (progress && state !== "uploading") progress.remove();
    var retry = thumb.querySelector("[data-act=retry]");
    if (retry) retry.remove();
    if (state === "failed" || state === "error") {
      var hidden = li.querySelector("input[name=image_ids]");
      if (hidden) hidden.remove();
      delete li.dataset.id;
      var alt = li.querySelector(".alt-input");
      alt.disabled = true;
      alt.removeAttribute("name");
      dropPreview(li);
      if (retryable && li._file) {
        // The tile says it briefly; the full reason goes under the photos.
        badge = thumb.querySelector(".thumb-state");
        if (badge) badge.textContent = msg("UploadFailed");
        if (text) showError(text);
        retry = toolButton("retry", "thumb-retry");
        retry.textContent = msg("Retry");
        thumb.appendChild(retry);
      }
    }
    refresh();
  }

  function setProgress(li, fraction) {
    var bar = li.querySelector(".progress > span");
    if (bar) bar.style.width = Math.round(Math.max(0.04, Math.min(1, fraction)) * 100) + "%";
  }

  function showImage(li, url) {
    if (!url) return;
    var thumb = li.querySelector(".thumb");
    var img = thumb.querySelector("img");
    if (!img) {
      img = document.createElement("img");
      img.alt = "";
      thumb.insertBefore(img, thumb.firstChild);
    }
    var loader = new Image();
    loader.onload = function () {
      img.src = url;
      if (li._objectUrl) {
        URL.revokeObjectURL(li._objectUrl);
        li._objectUrl = null;
      }
    };
    loader.src = url;
  }

  function attachId(li, data) {
    li.dataset.id = String(data.id);
    var hidden = el("input");
    hidden.type = "hidden";
    hidden.name = "image_ids";
    hidden.value = String(data.id);
    li.insertBefore(hidden, li.querySelector("label"));
    var alt = li.querySelector(".alt-input");
    alt.name = "alt_texts";
    alt.disabled = false;
  }

  function apply(li, data) {
    if (data.state === "ready") {
      showImage(li, data.grid_url);
      setState(li, "ready");
    } else if (data.state === "failed") {
      setState(li, "failed", msg("Failed"));
    } else {
      setState(li, "processing");
      poll(li, data.id, 700, Date.now());
    }
  }

  function poll(li, id, delay, started) {
    if (Date.now() - started > POLL_LIMIT_MS) return; // still processing: the note can be posted anyway
    window.setTimeout(function () {
      if (!li.isConnected) return;
      var xhr = new XMLHttpRequest();
      xhr.open("GET", uploadUrl + "/" + encodeURIComponent(id));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        var data = parse(xhr.responseText);
        if (xhr.status === 200 && data) {
          if (data.state === "ready" || data.state === "failed") apply(li, data);
          else poll(li, id, Math.min(delay * 1.5, 3000), started);
        } else if (xhr.status === 404) {
          setState(li, "error", msg("Failed"));
        } else {
          poll(li, id, Math.min(delay * 2, 5000), started);
        }
      };
      xhr.onerror = function () { poll(li, id, Math.min(delay * 2, 5000), started); };
      xhr.send();
    }, delay);
  }

  function parse(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  /* ---------- uploading ---------- */

  function upload(li, file) {
    active++;
    var body = new FormData();
    body.append("file", file, file.name || "photo");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", window.havenCsrfToken ? window.havenCsrfToken() : "");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) setProgress(li, e.loaded / e.total);
    };
    xhr.onload = function () {
      var data = parse(xhr.responseText);
      if (xhr.status === 201 && data && data.id) {
        if (li.isConnected) {
          attachId(li, data);
          apply(li, data);
        }
      } else {
        var transient = xhr.status === 0 || xhr.status === 408 || xhr.status === 429 || xhr.status >= 500;
        setState(li, "error", (data && data.message) || msg("Network"), transient);
      }
      done();
    };
    xhr.onerror = function () {
      setState(li, "error", msg("Network"), true);
      done();
    };
    xhr.send(body);
  }

  function done() {
    active--;
    pump();
  }

  function pump() {
    while (active < MAX_PARALLEL && queue.length) {
      var job = queue.shift();
      if (job.li.isConnected) upload(job.li, job.file);
    }
    refresh();
  }

  function allowed(file) {
    return ALLOWED_TYPES.indexOf(file.type) >= 0 || (!file.type && ALLOWED_EXT.test(file.name || ""));
  }

  function addFiles(files) {
    hideError();
    var room = maxImages - counted().length;
    var list_ = Array.prototype.slice.call(files || []);
    if (list_.length > room) showError(msg("TooMany"));
    list_.slice(0, Math.max(0, room)).forEach(function (file) {
      var li = buildItem(file);
      list.insertBefore(li, addSlot);
      if (!allowed(file)) {
        setState(li, "error", msg("Type"));
        return;
      }
      setProgress(li, 0);
      queue.push({ li: li, file: file });
    });
    dirty = true;
    pump();
  }

  fileInput.addEventListener("change", function () {
    addFiles(fileInput.files);
    fileInput.value = ""; // the photos travel through the API, not with the form
  });

  /* ---------- numbering, cover, counts, buttons ---------- */

  function refresh() {
    var all = items();
    var sent = submitted();
    if (!coverChosen || !coverItem || !coverItem.isConnected || sent.indexOf(coverItem) < 0) {
      coverItem = sent[0] || null;
      coverChosen = false;
    }
    all.forEach(function (li, i) {
      var n = i + 1;
      var cover = li.querySelector("[data-act=cover]");
      var isCover = li === coverItem;
      cover.setAttribute("aria-pressed", isCover ? "true" : "false");
      cover.textContent = isCover ? msg("Cover") : msg("SetCover");
      cover.disabled = sent.indexOf(li) < 0;
      li.querySelector("[data-act=remove]").setAttribute("aria-label", msg("Remove", n));
      var left = li.querySelector("[data-act=left]");
      var right = li.querySelector("[data-act=right]");
      left.setAttribute("aria-label", msg("Left", n));
      right.setAttribute("aria-label", msg("Right", n));
      left.disabled = i === 0;
      right.disabled = i === all.length - 1;
      var label = li.querySelector("label");
      if (label) label.textContent = msg("Alt", n);
    });
    coverInput.value = coverItem ? String(sent.indexOf(coverItem)) : "0";
    var live = counted().length;
    countEl.textContent = String(live);
    addSlot.hidden = live >= maxImages;
    var busy = active + queue.length;
    statusEl.textContent = busy ? msg("Uploading") : "";
    Array.prototype.forEach.call(submitButtons, function (b) { b.setAttribute("aria-disabled", busy ? "true" : "false"); });
  }

  function move(li, delta) {
    var all = items();
    var i = all.indexOf(li);
    var j = i + delta;
    if (j < 0 || j >= all.length) return;
    if (delta < 0) list.insertBefore(li, all[j]);
    else list.insertBefore(li, all[j].nextSibling);
    dirty = true;
    refresh();
  }

  function retryUpload(li) {
    if (!li._file || counted().length >= maxImages) return;
    hideError();
    var thumb = li.querySelector(".thumb");
    if (!thumb.querySelector(".progress")) {
      var progress = el("div", "progress");
      progress.appendChild(el("span"));
      thumb.appendChild(progress);
    }
    setState(li, "uploading");
    setProgress(li, 0);
    queue.push({ li: li, file: li._file });
    dirty = true;
    pump();
    var cover = li.querySelector("[data-act=remove]");
    if (cover) cover.focus();
  }

  function remove(li) {
    var all = items();
    var i = all.indexOf(li);
    if (li._objectUrl) URL.revokeObjectURL(li._objectUrl);
    queue = queue.filter(function (job) { return job.li !== li; });
    li.remove();
    dirty = true;
    refresh();
    var next = items()[Math.min(i, items().length - 1)];
    var focusTarget = next ? next.querySelector("[data-act=remove]") : dropTile;
    if (focusTarget) focusTarget.focus();
  }

  list.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-act]");
    if (!button || !list.contains(button)) return;
    var li = button.closest("li.upload");
    var act = button.dataset.act;
    if (act === "remove") remove(li);
    else if (act === "retry") retryUpload(li);
    else if (act === "left") { move(li, -1); if (!button.disabled) button.focus(); }
    else if (act === "right") { move(li, 1); if (!button.disabled) button.focus(); }
    else if (act === "cover") { coverItem = li; coverChosen = true; dirty = true; refresh(); }
  });

  /* ---------- drag and drop: reorder photos, or drop files to add them ---------- */

  function hasFiles(e) {
    var types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  list.addEventListener("dragstart", function (e) {
    var li = e.target.closest && e.target.closest("li.upload");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    try { e.dataTransfer.setData("text/plain", li.dataset.id || "new"); } catch (err) { /* old browsers */ }
  });
  list.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    dirty = true;
    refresh();
  });
  list.addEventListener("dragover", function (e) {
    if (hasFiles(e)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
      dropTile.classList.add("is-over");
      return;
    }
    if (!dragged) return;
    e.preventDefault();
    var over = e.target.closest && e.target.closest("li.upload");
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = e.clientX > box.left + box.width / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("dragleave", function (e) {
    if (!list.contains(e.relatedTarget)) dropTile.classList.remove("is-over");
  });
  list.addEventListener("drop", function (e) {
    dropTile.classList.remove("is-over");
    if (hasFiles(e)) {
      e.preventDefault();
      addFiles(e.dataTransfer.files);
    } else if (dragged) {
      e.preventDefault();
    }
  });

  /* ---------- character counters ---------- */

  form.querySelectorAll("[data-counter]").forEach(function (input) {
    var counter = document.getElementById(input.dataset.counter);
    var max = input.maxLength;
    function update() {
      var n = input.value.length;
      counter.textContent = n + "/" + max;
      counter.classList.toggle("near", n >= max * 0.9);
    }
    input.addEventListener("input", function () { dirty = true; update(); });
    update();
  });
  form.addEventListener("change", function () { dirty = true; });

  /* ---------- errors and submitting ---------- */

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = false;
  }
  function hideError() {
    errorEl.hidden = true;
    errorEl.textContent = "";
  }

  form.addEventListener("submit", function (e) {
    if (active + queue.length > 0) {
      e.preventDefault();
      showError(msg("Wait"));
      return;
    }
    var publishing = !e.submitter || e.submitter.value === "publish";
    var videoField = form.querySelector("input[name=video_id]");
    var hasVideo = !!(videoField && videoField.value);
    if (publishing && hasVideo && form.hasAttribute("data-video-busy")) {
      e.preventDefault();
      showError(msg("VideoWait"));
      return;
    }
    if (publishing && submitted().length === 0 && !hasVideo) {
      e.preventDefault();
      showError(msg("NeedPhoto"));
      fileInput.focus();
      return;
    }
    refresh();
    dirty = false;
  });
  /* A video note has no photos: the photo picker steps aside while a video is chosen. */
  var videoInput = form.querySelector("[data-video-upload]");
  function videoMode() {
    var field = form.querySelector("input[name=video_id]");
    form.classList.toggle("has-video", !!(field && field.value) || form.hasAttribute("data-video-busy"));
  }
  if (videoInput) {
    videoInput.addEventListener("haven:video-upload", function (ev) {
      dirty = true;
      hideError();
      videoMode();
      if (ev.detail && (ev.detail.state === "failed" || ev.detail.state === "rejected")) form.classList.remove("has-video");
    });
    videoMode();
  }
  window.addEventListener("beforeunload", function (e) {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = "";
  });

  /* Photos the server rendered (editing, or a refused form) may still be processing. */
  items().forEach(function (li) {
    var state = li.dataset.state;
    if (li.dataset.id && (state === "uploaded" || state === "processing")) {
      li.dataset.state = "processing";
      poll(li, li.dataset.id, 700, Date.now());
    }
  });
  var pressed = list.querySelector("[data-act=cover][aria-pressed=true]");
  coverItem = pressed ? pressed.closest("li.upload") : null;
  coverChosen = !!coverItem;
  refresh();
})();
