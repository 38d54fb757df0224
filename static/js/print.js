/* Print buttons ([data-print]): shown only where scripts run, instead of inline onclick,
   which the Content-Security-Policy forbids. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
