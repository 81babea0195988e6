/* Haven messaging client: live chat over the realtime WebSocket (/ws/, session auth).
   New messages arrive as `event` frames; the client fetches them rendered (/messages/<id>/after/<seq>/)
   and appends each once (by seq). It sends `typing`, shows others typing, updates the nav badges,
   reconnects with backoff and fetches the gap after the last seq shown. The composer posts with a
   client message id (Idempotency-Key), so a double submit or a retry stores one message; a photo
   picked with the attach button goes with the same post. A message that arrives in another
   conversation while a chat is open shows a small toast.
   Loaded with the CSP nonce; no inline handlers. Without it, every action is a form post. */
(function () {
  "use strict";

  var chat = document.querySelector("[data-chat]");
  var list = document.querySelector("[data-dm-list]");
  var conversationId = chat ? +chat.dataset.conversation : 0;
  var me = chat ? chat.dataset.me : "";
  var live = chat ? chat.dataset.live === "1" : false;
  var lastSeq = chat ? +chat.dataset.lastSeq || 0 : 0;
  var log = chat ? chat.querySelector("[data-chat-log]") : null;
  var scroller = chat ? chat.querySelector("[data-chat-scroll]") : null;
  var alertBox = chat ? chat.querySelector("[data-chat-alert]") : null;
  var typingBox = chat ? chat.querySelector("[data-typing]") : null;
  var form = chat ? chat.querySelector("[data-composer]") : null;

  function csrf() { return window.havenCsrfToken ? window.havenCsrfToken() : ""; }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function showAlert(text) {
    if (!alertBox) return;
    alertBox.textContent = text || "";
    alertBox.hidden = !text;
  }

  /* ---- badges ---------------------------------------------------------------------------- */
  function setBadge(kind, n) {
    document.querySelectorAll('[data-badge="' + kind + '"]').forEach(function (b) {
      b.textContent = n > 99 ? "99+" : String(n);
      b.hidden = !n;
    });
  }
  function badges(frame) {
    if (typeof frame.messages === "number") setBadge("messages", frame.messages + (frame.requests || 0));
    if (typeof frame.notifications === "number") setBadge("notifications", frame.notifications);
  }

  /* ---- appending messages, once each ------------------------------------------------------ */
  function nearBottom() {
    // The scroller is column-reverse: 0 is the bottom, going up is negative.
    return !scroller || Math.abs(scroller.scrollTop) < 120;
  }
  function toBottom() { if (scroller) scroller.scrollTop = 0; }

  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  function markSeen(seq, reader) {
    if (!chat || reader === me || chat.dataset.group === "1") return;
    var mine = Array.prototype.filter.call(log.querySelectorAll(".msg.is-mine[data-seq]"), function (m) {
      return +m.dataset.seq <= seq;
    });
    var target = mine[mine.length - 1];
    if (!target || target.querySelector("[data-seen]")) return;
    log.querySelectorAll("[data-seen]").forEach(function (s) { s.remove(); });
    var meta = target.querySelector(".msg-meta");
    if (!meta) return;
    var span = document.createElement("span");
    span.className = "msg-seen";
    span.setAttribute("data-seen", "");
    span.textContent = chat.dataset.seenText;
    meta.appendChild(span);
  }

  function append(fragment) {
    var stick = nearBottom();
    var added = 0;
    Array.prototype.slice.call(fragment.children).forEach(function (node) {
      if (!node.matches(".msg[data-seq]")) return; // day breaks only come with whole pages
      var seq = +node.dataset.seq;
      var existing = document.getElementById("m-" + seq);
      if (existing) { existing.replaceWith(node); return; }
      if (seq <= lastSeq && log.querySelector(".msg[data-seq]")) {
        // Older than what is shown (should not happen): put it in order.
        var after = Array.prototype.filter.call(log.querySelectorAll(".msg[data-seq]"), function (m) { return +m.dataset.seq > seq; })[0];
        if (after) { log.insertBefore(node, after); return; }
      }
      var start = log.querySelector(".chat-start");
      if (start) start.remove();
      log.appendChild(node);
      added++;
      if (node.dataset.sender && node.dataset.sender !== me) hideTyping(node.dataset.sender);
      if (window.htmx) window.htmx.process(node);
      lastSeq = Math.max(lastSeq, seq);
    });
    chat.dataset.lastSeq = String(lastSeq);
    if (added && stick) toBottom();
    watchProcessing();
  }

  /* A photo still being processed: ask for its bubble again a few times (1 s, 2 s, 4 s, ...). */
  var processingTries = {};
  function watchProcessing() {
    if (!log) return;
    log.querySelectorAll(".msg[data-processing]").forEach(function (node) {
      var seq = +node.dataset.seq;
      if (processingTries[seq] !== undefined) return;
      processingTries[seq] = 0;
      (function poll() {
        var tries = processingTries[seq]++;
        if (tries >= 6) return;
        setTimeout(function () {
          refetchOne(seq, function (fresh) {
            if (fresh && fresh.hasAttribute("data-processing")) poll();
          });
        }, 1000 * Math.pow(2, tries));
      })();
    });
  }

  var fetching = null;
  var again = false;
  function fetchAfter() {
    if (!chat || !live) return Promise.resolve();
    if (fetching) { again = true; return fetching; }
    var url = chat.dataset.afterUrl.replace(/0\/$/, lastSeq + "/");
    fetching = fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) {
        if (r.status === 404) { ended(); return null; }
        if (!r.ok) return null;
        var more = r.headers.get("X-Has-More") === "1";
        return r.text().then(function (html) { append(parse(html)); if (more) again = true; });
      })
      .catch(function () { /* offline: the reconnect fetches the gap */ })
      .then(function () {
        fetching = null;
        if (again) { again = false; return fetchAfter(); }
      });
    return fetching;
  }

  function refetchOne(seq, done) {
    var node = document.getElementById("m-" + seq);
    if (!node) return;
    var url = chat.dataset.oneUrl.replace(/0\/$/, seq + "/");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var frag = parse(html);
        var fresh = frag.querySelector(".msg[data-seq]");
        var current = document.getElementById("m-" + seq);
        if (!current) return;
        if (!fresh) { current.remove(); return; }
        // Keep an open translation and an open menu as they are.
        var tr = current.querySelector(".msg-tr-text");
        current.replaceWith(fresh);
        if (tr && !fresh.querySelector(".msg-tr-text")) {
          var box = fresh.querySelector(".msg-tr");
          if (box) { var old = tr.closest(".msg-tr"); if (old) box.replaceWith(old); }
        }
        if (window.htmx) window.htmx.process(fresh);
        if (done) done(fresh);
      })
      .catch(function () {});
  }

  function ended() {
    if (!chat) return;
    live = false;
    var composer = chat.querySelector("[data-composer]");
    if (composer) {
      var note = document.createElement("div");
      note.className = "chat-closed";
      note.setAttribute("data-closed", "");
      var p = document.createElement("p");
      p.textContent = chat.dataset.goneText;
      note.appendChild(p);
      composer.replaceWith(note);
      form = null;
    }
  }

  /* ---- typing --------------------------------------------------------------------------- */
  var typingTimers = {};
  var typingNames = {};
  function renderTyping() {
    if (!typingBox) return;
    var names = Object.keys(typingNames);
    typingBox.hidden = !names.length;
    typingBox.textContent = names.length ? chat.dataset.typingText.replace("__NAME__", names.map(function (n) { return typingNames[n]; }).join(", ")) : "";
  }
  function showTyping(username) {
    var node = log && log.querySelector('.msg[data-sender="' + CSS.escape(username) + '"] .msg-sender');
    typingNames[username] = node ? node.textContent : "@" + username;
    if (chat.dataset.group !== "1") {
      var title = chat.querySelector("#chat-title");
      typingNames[username] = title ? title.textContent : typingNames[username];
    }
    clearTimeout(typingTimers[username]);
    typingTimers[username] = setTimeout(function () { hideTyping(username); }, 4500);
    renderTyping();
  }
  function hideTyping(username) {
    clearTimeout(typingTimers[username]);
    delete typingNames[username];
    renderTyping();
  }

  /* ---- the socket ---------------------------------------------------------------------- */
  var ws = null;
  var backoff = 1000;
  var connectedOnce = false;
  var lastTypingSent = 0;

  function send(frame) {
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame));
  }

  var listTimer = null;
  function refreshList() {
    if (!list || !window.htmx) return;
    clearTimeout(listTimer);
    listTimer = setTimeout(function () {
      var box = list.dataset.box === "requests" ? "requests" : "inbox";
      fetch("/messages/?fragment=list&box=" + box, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var fresh = parse(html).querySelector("[data-dm-list]");
          if (!fresh) return;
          if (conversationId) {
            var cur = fresh.querySelector('[data-conversation="' + conversationId + '"]');
            if (cur) { cur.setAttribute("aria-current", "page"); cur.classList.remove("is-unread"); var u = cur.querySelector(".dm-unread"); if (u) u.remove(); }
          }
          list.replaceWith(fresh);
          list = fresh;
        })
        .catch(function () {});
    }, 250);
  }

  /* ---- a toast for a message in another conversation ----------------------------------- */
  var toastBox = null;
  function toastFor(ev) {
    var m = ev.message;
    if (!chat || !m || m.mine || m.kind === "system" || !m.sender) return;
    var row = list && list.querySelector('[data-conversation="' + ev.conversation_id + '"]');
    if (row && row.hasAttribute("data-muted")) return;
    var text = m.body || (m.kind === "image" ? chat.dataset.photoText : m.kind === "note" ? chat.dataset.noteText : m.kind === "member" ? chat.dataset.profileText : "");
    if (!toastBox) {
      toastBox = document.createElement("div");
      toastBox.className = "dm-toasts";
      toastBox.setAttribute("role", "status");
      toastBox.setAttribute("aria-live", "polite");
      document.body.appendChild(toastBox);
    }
    var link = document.createElement("a");
    link.className = "dm-toast";
    link.href = "/messages/" + ev.conversation_id + "/";
    var who = document.createElement("b");
    who.textContent = m.sender.display_name || m.sender.username;
    var what = document.createElement("span");
    what.textContent = text.length > 90 ? text.slice(0, 90) + "…" : text;
    link.appendChild(who);
    link.appendChild(what);
    toastBox.appendChild(link);
    while (toastBox.children.length > 3) toastBox.firstChild.remove();
    setTimeout(function () { link.classList.add("is-leaving"); }, 5000);
    setTimeout(function () { link.remove(); }, 5400);
  }

  function onFrame(frame) {
    if (!frame || typeof frame !== "object") return;
    if (frame.type === "hello") {
      document.documentElement.setAttribute("data-realtime", "on");
      badges(frame);
      backoff = 1000;
      // Whatever happened between the page render (or the last connection) and now.
      fetchAfter();
      if (connectedOnce) refreshList();
      connectedOnce = true;
    } else if (frame.type === "badge") {
      badges(frame);
    } else if (frame.type === "event" && frame.event) {
      var ev = frame.event;
      if (ev.conversation_id === conversationId) {
        if (ev.type === "message") fetchAfter();
        else if (ev.type === "update") refetchOne(ev.seq);
        else if (ev.type === "read" && ev.reader) markSeen(ev.seq, ev.reader);
      } else if (ev.type === "message") {
        toastFor(ev);
      }
      if (ev.type === "message" || ev.type === "members") refreshList();
    } else if (frame.type === "typing") {
      if (frame.conversation_id === conversationId && frame.user !== me) showTyping(frame.user);
    } else if (frame.type === "conversation") {
      if (frame.conversation_id === conversationId && frame.event === "gone") {
        // A block or a removal: check whether this conversation is still ours.
        fetchAfter();
      }
      refreshList();
    }
  }

  function connect() {
    if (!("WebSocket" in window)) return;
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/";
    try { ws = new WebSocket(url); } catch (e) { return; }
    ws.onmessage = function (e) {
      var frame = null;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      onFrame(frame);
    };
    ws.onclose = function (e) {
      ws = null;
      document.documentElement.setAttribute("data-realtime", "off");
      if (e.code === 4401) return; // signed out
      var wait = backoff + Math.floor(Math.random() * 400);
      backoff = Math.min(backoff * 2, 30000);
      setTimeout(connect, wait);
    };
  }

  /* ---- composer ------------------------------------------------------------------------ */
  function setReply(id, name, text) {
    if (!form) return;
    form.querySelector("[data-reply-to]").value = id || "";
    var quote = form.querySelector("[data-quote]");
    quote.hidden = !id;
    quote.querySelector("[data-quote-name]").textContent = name || "";
    quote.querySelector("[data-quote-text]").textContent = text || "";
  }

  if (form) {
    var body = form.querySelector("[data-composer-body]");
    var button = form.querySelector("[data-send]");
    var clientInput = form.querySelector("[data-client-id]");
    var photoInput = form.querySelector("[data-photo-input]");
    var photoPreview = form.querySelector("[data-photo-preview]");
    var photoUrl = "";
    var sending = false;

    function clearPhoto() {
      if (!photoInput) return;
      photoInput.value = "";
      if (photoUrl) URL.revokeObjectURL(photoUrl);
      photoUrl = "";
      photoPreview.hidden = true;
      photoPreview.querySelector("[data-photo-thumb]").removeAttribute("src");
    }
    function hasPhoto() { return !!(photoInput && photoInput.files && photoInput.files.length); }
    if (photoInput) {
      photoInput.addEventListener("change", function () {
        if (!hasPhoto()) { clearPhoto(); return; }
        var file = photoInput.files[0];
        if (photoUrl) URL.revokeObjectURL(photoUrl);
        photoUrl = URL.createObjectURL(file);
        photoPreview.querySelector("[data-photo-thumb]").src = photoUrl;
        photoPreview.querySelector("[data-photo-name]").textContent = file.name;
        photoPreview.hidden = false;
        body.focus();
      });
      photoPreview.querySelector("[data-photo-clear]").addEventListener("click", function () { clearPhoto(); body.focus(); });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (sending) return;
      var text = body.value.trim();
      var withPhoto = hasPhoto();
      if (!text && !withPhoto) { body.focus(); return; }
      sending = true;
      button.disabled = true;
      if (withPhoto) form.classList.add("is-sending");
      var data = new FormData(form);
      data.set("after", String(lastSeq));
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch", "Idempotency-Key": clientInput.value }
      })
        .then(function (r) {
          return r.text().then(function (t) {
            if (!r.ok) { showAlert(t); return; }
            showAlert("");
            append(parse(t));
            toBottom();
            body.value = "";
            clearPhoto();
            clientInput.value = newClientId(); // the next message gets its own id
            setReply("", "", "");
          });
        })
        .catch(function () {
          // Offline or cut: the same client id makes a retry safe; keep the text to retry.
          showAlert(chat.dataset.offlineText);
        })
        .then(function () { sending = false; button.disabled = false; form.classList.remove("is-sending"); body.focus(); });
    });

    body.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.shiftKey || e.isComposing || e.keyCode === 229) return;
      if (!window.matchMedia("(pointer: fine)").matches) return; // phones: Enter is a new line
      e.preventDefault();
      form.requestSubmit();
    });

    body.addEventListener("input", function () {
      var now = Date.now();
      if (body.value.trim() && now - lastTypingSent > 2500) {
        lastTypingSent = now;
        send({ type: "typing", conversation_id: conversationId });
      }
    });

    var cancel = form.querySelector("[data-cancel-reply]");
    if (cancel) cancel.addEventListener("click", function (e) { e.preventDefault(); setReply("", "", ""); });
  }

  /* ---- clicks: reply, closing menus ------------------------------------------------------ */
  document.addEventListener("click", function (e) {
    var reply = e.target.closest ? e.target.closest("[data-reply]") : null;
    if (reply && form) {
      e.preventDefault();
      setReply(reply.dataset.reply, reply.dataset.replyName, reply.dataset.replyText);
      var menu = reply.closest("details");
      if (menu) menu.open = false;
      form.querySelector("[data-composer-body]").focus();
      return;
    }
    document.querySelectorAll(".msg-menu[open], .chat-head details[open], .dm-member-menu[open]").forEach(function (d) {
      if (!d.contains(e.target)) d.open = false;
    });
    var quote = e.target.closest ? e.target.closest(".msg-quote") : null;
    if (quote) {
      var target = document.querySelector(quote.getAttribute("href"));
      if (target) {
        e.preventDefault();
        target.scrollIntoView({ block: "center", behavior: "smooth" });
        target.classList.remove("flash");
        void target.offsetWidth;
        target.classList.add("flash");
      }
    }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var menu = e.target.closest ? e.target.closest(".msg-menu") : null;
    if (menu) menu.open = false;
  });
  /* The share picker answers a refusal (4xx) with itself and its error (HX-Reswap): swap it in. */
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Reswap") && e.detail.target && e.detail.target.matches("[data-share-picker]")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail && e.detail.xhr;
    var type = xhr ? xhr.getResponseHeader("Content-Type") || "" : "";
    showAlert(type.indexOf("text/plain") === 0 ? xhr.responseText : "");
  });
  document.addEventListener("htmx:afterSwap", function () {
    // "Load older" may bring a day that is already labelled below it.
    if (!log) return;
    var seen = {};
    log.querySelectorAll(".day-break").forEach(function (d) {
      if (seen[d.dataset.day]) d.remove(); else seen[d.dataset.day] = true;
    });
  });

  if (chat) watchProcessing();
  if (chat && live) {
    toBottom();
    if (location.hash === "#composer" && form) form.querySelector("[data-composer-body]").focus();
  }
  if (chat || list) connect();
})();
