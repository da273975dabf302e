/* Sizes embedded Karabakh maps to their content: the page posts its height. */
(function () {
  "use strict";
  window.addEventListener("message", function (event) {
    var height = event.data && event.data.karabakhMapHeight;
    if (typeof height !== "number" || !(height > 0 && height < 10000)) { return; }
    document.querySelectorAll("iframe[data-karabakh-map]").forEach(function (frame) {
      if (frame.contentWindow === event.source) { frame.style.height = Math.ceil(height) + "px"; }
    });
  });
})();
