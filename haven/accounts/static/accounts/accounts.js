/* Account pages: live preview of a chosen avatar, and copy-to-clipboard for a new API token. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("[data-avatar-input]") || !input.files || !input.files[0]) return;
    var box = document.querySelector("[data-avatar-preview]");
    if (!box) return;
    var img = document.createElement("img");
    img.className = "avatar avatar-xl";
    img.alt = "";
    img.src = URL.createObjectURL(input.files[0]);
    box.replaceChildren(img);
    var remove = input.form && input.form.querySelector("[name=remove_avatar]");
    if (remove) remove.checked = false;
  });
  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!btn) return;
    var source = document.querySelector(btn.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent.trim();
    function done() {
      var label = btn.textContent;
      btn.textContent = btn.getAttribute("data-copied") || label;
      setTimeout(function () { btn.textContent = label; }, 2000);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
    }
  });
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
})();
