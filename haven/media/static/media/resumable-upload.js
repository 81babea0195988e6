/* Resumable video uploads in a form: the tus 1.0.0 protocol through the vendored tus-js-client
   (media/vendor/tus-js-client-4.3.1.min.js, load it first), against haven.media.tus.

   Markup, all inside one <form> (the template renders the labels translated):

     <input type="file" accept="video/mp4,video/quicktime,video/webm" data-video-upload
            data-endpoint="/api/v1/media/uploads/"
            data-status-url-template="/api/v1/media/videos/{id}"
            data-label-uploading="Uploading {percent} %"
            data-label-processing="Processing {percent} %"
            data-label-ready="Ready"
            data-label-failed="Failed: {error}"
            data-label-resume="Resuming your earlier upload"
            data-label-offline="Waiting for a connection"      (optional; default: label-uploading)
            data-label-poster-alt="Poster of your video">       (optional; default: "")
     <div data-video-progress>                       (created after the input when missing)
       <progress max="100" value="0"></progress>     (created when missing)
       <span data-video-progress-text></span>        (created when missing; aria-live="polite")
     </div>
     <input type="hidden" name="video_id">

   {percent} is a whole number 0-100; {error} is the server's message (the JSON `error` field of the
   video's status, or `message` of an upload error). Behaviour: the chosen file goes up in 5 MiB
   chunks with retries and growing back-off; its fingerprint is kept in localStorage, so choosing the
   same file again (after a reload or a lost connection) resumes where it stopped. When the server
   answers with Haven-Video-Id, the id goes into the hidden video_id field and the video's status URL
   is polled every 2 s until it is ready (the poster is shown), failed or rejected. Choosing another
   file cancels the running upload on the server. Events on the input, for the composer:
   "haven:video-upload" with detail {state: "uploading"|"processing"|"ready"|"failed"|"rejected"|
   "error", videoId, percent}; while a video is on its way the form carries data-video-busy. */
(function () {
  "use strict";

  var CHUNK_SIZE = 5 * 1024 * 1024;
  var RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];
  var POLL_MS = 2000;
  var POLL_LIMIT_MS = 60 * 60 * 1000;
  var FINAL_STATES = { ready: true, failed: true, rejected: true };

  function label(input, name, values) {
    var text = input.getAttribute("data-label-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) return field.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function errorMessage(err) {
    var response = err && err.originalResponse;
    if (response) {
      try {
        var data = JSON.parse(response.getBody() || "{}");
        if (data && typeof data.message === "string" && data.message) return data.message;
      } catch (ignored) {
        /* not JSON */
      }
    }
    return "";
  }

  function Widget(input) {
    this.input = input;
    this.form = input.form || input.closest("form");
    this.endpoint = input.getAttribute("data-endpoint");
    this.statusTemplate = input.getAttribute("data-status-url-template") || "";
    this.hidden = this.form && this.form.querySelector("input[type=hidden][name=video_id]");
    this.upload = null;
    this.videoId = "";
    this.run = 0; // bumped per chosen file: late callbacks of an older run are ignored
    this.pollTimer = null;
    this.buildProgress();
    input.addEventListener("change", this.choose.bind(this));
  }

  Widget.prototype.buildProgress = function () {
    var scope = this.form || this.input.parentNode;
    var box = scope.querySelector("[data-video-progress]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-video-progress", "");
      this.input.insertAdjacentElement("afterend", box);
    }
    var bar = box.querySelector("progress");
    if (!bar) {
      bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      box.appendChild(bar);
    }
    var text = box.querySelector("[data-video-progress-text]");
    if (!text) {
      text = document.createElement("span");
      text.setAttribute("data-video-progress-text", "");
      box.appendChild(text);
    }
    text.setAttribute("aria-live", "polite");
    box.hidden = true;
    this.box = box;
    this.bar = bar;
    this.text = text;
  };

  Widget.prototype.show = function (state, percent, message) {
    this.box.hidden = false;
    this.box.setAttribute("data-state", state);
    if (percent === null) {
      this.bar.removeAttribute("value"); // indeterminate
    } else {
      this.bar.value = Math.max(0, Math.min(100, percent));
    }
    this.text.textContent = message;
    var busy = state === "uploading" || state === "processing";
    if (this.form) {
      if (busy) this.form.setAttribute("data-video-busy", "");
      else this.form.removeAttribute("data-video-busy");
    }
    this.box.setAttribute("aria-busy", busy ? "true" : "false");
    this.input.dispatchEvent(
      new CustomEvent("haven:video-upload", {
        bubbles: true,
        detail: { state: state, videoId: this.videoId, percent: percent },
      })
    );
  };

  Widget.prototype.setVideoId = function (id) {
    if (!/^[0-9]{1,20}$/.test(id || "")) return;
    this.videoId = id;
    if (this.hidden) this.hidden.value = id;
  };

  Widget.prototype.reset = function () {
    this.run += 1;
    if (this.pollTimer) window.clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (this.upload) {
      // Another file was chosen: give up the running upload on the server too (tus termination).
      this.upload.abort(true).catch(function () {});
      this.upload = null;
    }
    this.videoId = "";
    if (this.hidden) this.hidden.value = "";
    var poster = this.box.querySelector("img[data-video-poster]");
    if (poster) poster.remove();
  };

  Widget.prototype.choose = function () {
    var file = this.input.files && this.input.files[0];
    this.reset();
    if (!file) {
      this.box.hidden = true;
      return;
    }
    this.start(file, this.run);
  };

  Widget.prototype.start = function (file, run) {
    var self = this;
    var current = function () {
      return run === self.run;
    };
    var upload = new window.tus.Upload(file, {
      endpoint: this.endpoint,
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      removeFingerprintOnSuccess: true,
      metadata: { filename: file.name, filetype: file.type || "" },
      headers: { "X-CSRFToken": csrfToken(this.form) },
      onAfterResponse: function (req, res) {
        var id = res.getHeader("Haven-Video-Id");
        if (id && current()) self.setVideoId(id);
      },
      onProgress: function (sent, total) {
        if (!current()) return;
        var percent = total ? Math.floor((sent / total) * 100) : 0;
        self.show("uploading", percent, label(self.input, "uploading", { percent: percent }));
      },
      onSuccess: function () {
        if (!current()) return;
        self.upload = null;
        if (self.videoId) self.poll(run, Date.now());
        else self.finish(file, upload.url, run);
      },
      onError: function (err) {
        if (!current()) return;
        if (navigator.onLine === false) {
          // Out of retries while offline: carry on when the connection is back.
          var offline = self.input.getAttribute("data-label-offline") ? "offline" : "uploading";
          self.show("uploading", null, label(self.input, offline, { percent: 0 }));
          window.addEventListener(
            "online",
            function () {
              if (current()) upload.start();
            },
            { once: true }
          );
          return;
        }
        self.upload = null;
        self.show("error", null, label(self.input, "failed", { error: errorMessage(err) }));
      },
    });
    this.upload = upload;
    this.show("uploading", 0, label(this.input, "uploading", { percent: 0 }));
    upload
      .findPreviousUploads()
      .then(function (previous) {
        if (!current()) return;
        if (previous.length) {
          upload.resumeFromPreviousUpload(previous[0]);
          self.show("uploading", null, label(self.input, "resume"));
        }
        upload.start();
      })
      .catch(function () {
        if (current()) upload.start();
      });
  };

  /* The upload was already complete when resumed but no video id came back (its completion had
     failed on the server): an empty PATCH at the full offset finishes it. */
  Widget.prototype.finish = function (file, url, run) {
    var self = this;
    fetch(url, {
      method: "PATCH",
      credentials: "same-origin",
      headers: {
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": String(file.size),
        "Content-Type": "application/offset+octet-stream",
        "X-CSRFToken": csrfToken(this.form),
      },
    })
      .then(function (res) {
        if (run !== self.run) return;
        var id = res.headers.get("Haven-Video-Id");
        if (res.ok && id) {
          self.setVideoId(id);
          self.poll(run, Date.now());
          return;
        }
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (run !== self.run) return;
            self.show("error", null, label(self.input, "failed", { error: (data && data.message) || "" }));
          });
      })
      .catch(function () {
        if (run === self.run) self.show("error", null, label(self.input, "failed", { error: "" }));
      });
  };

  Widget.prototype.poll = function (run, since) {
    var self = this;
    var url = this.statusTemplate.split("{id}").join(encodeURIComponent(this.videoId));
    var again = function () {
      if (run !== self.run) return;
      if (Date.now() - since > POLL_LIMIT_MS) return; // the note page shows the outcome later
      self.pollTimer = window.setTimeout(function () {
        self.poll(run, since);
      }, POLL_MS);
    };
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (run !== self.run) return;
        if (!data || typeof data.state !== "string") return again();
        if (!FINAL_STATES[data.state]) {
          var percent = Math.max(0, Math.min(100, parseInt(data.progress, 10) || 0));
          self.show("processing", percent, label(self.input, "processing", { percent: percent }));
          return again();
        }
        if (data.state === "ready") {
          self.show("ready", 100, label(self.input, "ready"));
          if (data.poster_url) self.showPoster(data);
          return;
        }
        var error = data.error || data.error_code || "";
        self.show(data.state, null, label(self.input, "failed", { error: error }));
      })
      .catch(again);
  };

  Widget.prototype.showPoster = function (data) {
    var img = document.createElement("img");
    img.setAttribute("data-video-poster", "");
    img.src = data.poster_url; // as the status API gives it
    img.alt = this.input.getAttribute("data-label-poster-alt") || "";
    img.decoding = "async";
    img.style.maxWidth = "100%";
    if (data.width && data.height) img.style.aspectRatio = data.width + " / " + data.height;
    this.box.appendChild(img);
  };

  function init(root) {
    if (!window.tus || !window.tus.isSupported) return; // the plain form still works
    var inputs = (root || document).querySelectorAll("input[type=file][data-video-upload]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.hasAttribute("data-video-upload-ready")) return;
      input.setAttribute("data-video-upload-ready", "");
      new Widget(input);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
