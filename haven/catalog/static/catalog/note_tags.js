/* Pins of tagged products on a note's photos: each pin sits on its point of the shown image
   (object-fit: contain, so the image's box inside the slide is computed from its natural size). */
(function () {
  "use strict";
  var data = document.getElementById("note-product-pins");
  if (!data) return;
  var pins = JSON.parse(data.textContent);
  var slides = document.querySelectorAll(".note-carousel .carousel-slide");
  if (!pins.length || !slides.length) return;
  var made = [];
  pins.forEach(function (p) {
    var slide = slides[p.image];
    if (!slide) return;
    var a = document.createElement("a");
    a.className = "product-pin";
    a.href = p.url;
    var label = document.createElement("span");
    label.textContent = p.title;
    a.appendChild(label);
    slide.appendChild(a);
    made.push({ el: a, slide: slide, x: p.x, y: p.y });
  });
  function place() {
    made.forEach(function (m) {
      var img = m.slide.querySelector("img");
      var w = m.slide.clientWidth, h = m.slide.clientHeight;
      var left = 0, top = 0, iw = w, ih = h;
      if (img && img.naturalWidth && img.naturalHeight) {
        var scale = Math.min(w / img.naturalWidth, h / img.naturalHeight);
        iw = img.naturalWidth * scale; ih = img.naturalHeight * scale;
        left = (w - iw) / 2; top = (h - ih) / 2;
      }
      m.el.style.left = (left + iw * m.x / 1000) + "px";
      m.el.style.top = (top + ih * m.y / 1000) + "px";
    });
  }
  slides.forEach(function (s) { var img = s.querySelector("img"); if (img && !img.complete) img.addEventListener("load", place); });
  window.addEventListener("resize", place);
  place();
})();
