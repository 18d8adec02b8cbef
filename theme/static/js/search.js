/* Search page, progressive enhancement. Without JavaScript the form leads to the archives; with it,
   the form asks Pagefind's JS API (pagefind.js, from this site) and the results are drawn here with
   the theme's own markup and styles: title, category, date and language (Pagefind metadata that the
   article page declares), and an excerpt of the article's text only (the page marks its interface
   parts data-pagefind-ignore). The page names its language's bundles: the first one, then the others
   (one per year) that Pagefind merges into its results. */
(function () {
  "use strict";
  var PAGE_SIZE = 10;

  /* Pagefind's excerpt is text with <mark> around the words found: keep exactly that. */
  function excerptNodes(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fragment = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "search-result";
    var meta = document.createElement("p");
    meta.className = "entry-meta";
    [["entry-category", data.meta.category], ["search-date", data.meta.date], ["search-language", data.meta.language]]
      .forEach(function (part) {
        if (!part[1]) { return; }
        var span = document.createElement("span");
        span.className = part[0];
        span.textContent = part[1];
        meta.appendChild(span);
      });
    var title = document.createElement("h2");
    title.className = "entry-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    title.appendChild(link);
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.appendChild(excerptNodes(data.excerpt || ""));
    if (meta.childNodes.length) { item.appendChild(meta); }
    item.appendChild(title);
    item.appendChild(excerpt);
    return item;
  }

  function start() {
    var container = document.getElementById("search");
    if (!container || !container.getAttribute("data-bundle")) { return; }
    var form = container.querySelector("form");
    var field = container.querySelector("#search-query");
    var status = container.querySelector(".search-status");
    var list = container.querySelector(".search-results");
    var more = container.querySelector(".search-more");
    var fallback = container.querySelector(".search-fallback");
    var text = function (name) { return container.getAttribute("data-text-" + name) || ""; };
    var bundle = container.getAttribute("data-bundle");
    var merged = (container.getAttribute("data-merge") || "").split(/\s+/).filter(Boolean);
    var ready = null;
    var current = 0;  // the latest search: answers to older ones are dropped
    var results = [];
    var shown = 0;

    function pagefind() {
      if (!ready) {
        ready = import(bundle + "pagefind.js").then(function (module) {
          return module.options({ bundlePath: bundle, excerptLength: 24 }).then(function () {
            return Promise.all(merged.map(function (path) { return module.mergeIndex(path); }));
          }).then(function () { return module; });
        });
      }
      return ready;
    }

    function showMore(run) {
      var next = results.slice(shown, shown + PAGE_SIZE);
      shown += next.length;
      more.hidden = shown >= results.length;
      return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
        if (run !== current) { return; }
        pages.forEach(function (data) { list.appendChild(resultItem(data)); });
      });
    }

    function search(query) {
      var run = ++current;
      list.textContent = "";
      more.hidden = true;
      results = [];
      shown = 0;
      if (!query.trim()) { status.textContent = ""; return; }
      status.textContent = text("searching");
      pagefind().then(function (module) { return module.search(query); }).then(function (found) {
        if (run !== current) { return; }
        results = found.results;
        status.textContent = results.length
          ? text("count").replace("{count}", String(results.length)) : text("none");
        return showMore(run);
      }).catch(function () {
        if (run === current) { status.textContent = text("error"); }
      });
    }

    fallback.hidden = true;
    more.textContent = text("more");
    more.addEventListener("click", function () { showMore(current); });
    var timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(field.value); }, 250);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      var url = new URL(window.location.href);
      url.searchParams.set("q", field.value);
      window.history.replaceState(null, "", url);
      search(field.value);
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      field.value = query;
      search(query);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
