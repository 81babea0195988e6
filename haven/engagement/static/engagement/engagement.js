/* Comments on the note page: Enter sends, reply forms open inline (replying to a reply names its
   author), forms clear after a successful htmx post, textareas grow, toasts fade. */
(function () {
  "use strict";

  function grow(area) {
    area.style.height = "auto";
    area.style.height = Math.min(area.scrollHeight, 160) + "px";
  }
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches(".comment-box textarea, .reply-form textarea")) grow(e.target);
  });

  /* Enter sends, Shift+Enter makes a new line (not while composing Chinese with an IME). */
  document.addEventListener("keydown", function (e) {
    var area = e.target;
    if (!area.matches || !area.matches(".comment-box textarea, .reply-form textarea")) return;
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      if (area.value.trim() && area.form.requestSubmit) area.form.requestSubmit();
    }
  });

  /* "Reply" opens the thread's reply form, aimed at the comment clicked. */
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("[data-reply-thread]");
    if (!link) return;
    var form = document.getElementById("reply-" + link.dataset.replyThread);
    if (!form) return;
    e.preventDefault();
    var input = form.querySelector("[data-reply-parent-input]");
    var area = form.querySelector("textarea");
    var sameTarget = input.value === link.dataset.replyParent;
    if (!form.hidden && sameTarget) {
      form.hidden = true;
      link.focus();
      return;
    }
    input.value = link.dataset.replyParent;
    var template = area.dataset.placeholderTemplate;
    if (template) area.placeholder = template.replace("%(name)s", link.dataset.replyName || "");
    form.hidden = false;
    area.focus();
  });

  /* After a successful htmx post: clear the form; close reply forms; show the new comment. */
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-reset]") || !e.detail.successful) return;
    form.reset();
    form.querySelectorAll("textarea").forEach(function (area) { area.style.height = ""; area.blur(); });
    if (form.classList.contains("reply-form")) form.hidden = true;
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var fresh = document.querySelector(".comment.is-fresh");
    if (fresh) {
      fresh.classList.remove("is-fresh");
      fresh.classList.add("just-posted");
      fresh.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    var toasts = document.getElementById("toasts");
    if (toasts && e.target === toasts) fade(toasts);
  });

  /* Error answers (4xx) are swapped into #toasts by the server's HX-Retarget; let htmx swap them. */
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    var xhr = e.detail.xhr;
    if (status >= 400 && status < 500 && (xhr.getResponseHeader("HX-Retarget") || xhr.getResponseHeader("HX-Reswap"))) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  function fade(box) {
    Array.prototype.forEach.call(box.children, function (item) {
      if (item.dataset.fading) return;
      item.dataset.fading = "1";
      window.setTimeout(function () { item.remove(); }, 4000);
    });
  }
})();
