// Onboarding: the live count of chosen topics, and copying a suggested hashtag.
(function () {
  "use strict";
  document.querySelectorAll("[data-ob-topics]").forEach(function (form) {
    var min = parseInt(form.getAttribute("data-min"), 10) || 0;
    var count = form.querySelector("[data-ob-count]");
    var need = form.querySelector("[data-ob-need]");
    var error = form.querySelector(".ob-error");
    function update() {
      var n = form.querySelectorAll("input[name=topics]:checked").length;
      if (count) count.textContent = String(n);
      if (need) need.hidden = n >= min;
      if (error && n >= min) error.hidden = true;
      form.toggleAttribute("data-short", n < min);
    }
    form.addEventListener("change", update);
    update();
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy") || "";
      var done = document.querySelector("[data-copied]");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { if (done) done.hidden = false; }, function () {});
      }
    });
  });
})();
