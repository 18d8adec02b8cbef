/* Live preview only (never in a built site): reload the page when a rebuild finishes. */
(function () {
  "use strict";
  var current = null;
  function poll() {
    fetch("/__live/token", { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (token) {
        if (current !== null && token !== current) { window.location.reload(); }
        current = token;
      })
      .catch(function () { /* server restarting: try again */ })
      .finally(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
