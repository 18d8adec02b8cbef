/* Search page, progressive enhancement: replaces the plain form (which leads to the archives)
   with Pagefind's search. Pagefind picks the index of the page's language (<html lang>). */
(function () {
  "use strict";
  function start() {
    var container = document.getElementById("search");
    if (!container || typeof window.PagefindUI !== "function") { return; }
    var query = new URLSearchParams(window.location.search).get("q");
    container.innerHTML = "";
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: container.getAttribute("data-bundle"),
      showImages: false,
      showSubResults: true,
      resetStyles: false
    });
    if (query) { ui.triggerSearch(query); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
