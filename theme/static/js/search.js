/* Search page, progressive enhancement: replaces the plain form (which leads to the archives)
   with Pagefind's search. The page names its language's bundles: the first one, then the others
   (one per year) that Pagefind merges into its results. */
(function () {
  "use strict";
  function start() {
    var container = document.getElementById("search");
    if (!container || typeof window.PagefindUI !== "function") { return; }
    var query = new URLSearchParams(window.location.search).get("q");
    var merged = (container.getAttribute("data-merge") || "").split(/\s+/).filter(Boolean);
    container.innerHTML = "";
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: container.getAttribute("data-bundle"),
      mergeIndex: merged.map(function (path) { return { bundlePath: path }; }),
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
