// The sandbox card form: show the brand as the buyer types, group the number and the expiry.
(function () {
  "use strict";
  var BRANDS = [
    ["amex", /^3[47]/, "Amex"],
    ["visa", /^4/, "Visa"],
    ["mastercard", /^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/, "Mastercard"],
    ["unionpay", /^62/, "UnionPay"],
    ["discover", /^(6011|65)/, "Discover"],
    ["jcb", /^35/, "JCB"],
  ];
  function brandOf(digits) {
    for (var i = 0; i < BRANDS.length; i++) {
      if (BRANDS[i][1].test(digits)) return BRANDS[i];
    }
    return null;
  }
  function init() {
    var number = document.getElementById("card-number");
    var badge = document.getElementById("card-brand");
    var expiry = document.getElementById("card-expiry");
    if (!number || !badge) return;
    var fallback = badge.textContent;
    number.addEventListener("input", function () {
      var digits = number.value.replace(/\D/g, "").slice(0, 19);
      var brand = brandOf(digits);
      var groups = brand && brand[0] === "amex" ? [4, 6, 5] : [4, 4, 4, 4, 3];
      var parts = [], at = 0;
      for (var g = 0; g < groups.length && at < digits.length; g++) {
        parts.push(digits.slice(at, at + groups[g]));
        at += groups[g];
      }
      number.value = parts.join(" ");
      badge.dataset.brand = brand ? brand[0] : "card";
      badge.textContent = brand ? brand[2] : fallback;
    });
    if (expiry) {
      expiry.addEventListener("input", function (event) {
        var digits = expiry.value.replace(/\D/g, "").slice(0, 4);
        if (event.inputType && event.inputType.indexOf("delete") === 0) return;
        expiry.value = digits.length > 2 ? digits.slice(0, 2) + " / " + digits.slice(2) : digits;
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
