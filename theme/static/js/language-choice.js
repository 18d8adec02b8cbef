/* Root language chooser, progressive enhancement: the links work without this script.
   It remembers the language a reader picks here (in this browser only, never sent anywhere)
   and, on a later visit to the root, opens that language directly. A first visit is never
   redirected: the browser's preferred language is only highlighted. */
(function () {
  "use strict";
  var KEY = "hub-language";
  var links = document.querySelectorAll("a[data-lang]");
  var byLang = {};
  Array.prototype.forEach.call(links, function (link) {
    byLang[link.getAttribute("data-lang")] = link;
    link.addEventListener("click", function () {
      try { window.localStorage.setItem(KEY, link.getAttribute("data-lang")); } catch (e) { /* storage off */ }
    });
  });
  var saved = null;
  try { saved = window.localStorage.getItem(KEY); } catch (e) { saved = null; }
  if (saved && byLang[saved]) {
    window.location.replace(byLang[saved].href);
    return;
  }
  var preferred = (navigator.languages || [navigator.language || ""]).map(function (tag) {
    return String(tag).slice(0, 2).toLowerCase();
  });
  for (var i = 0; i < preferred.length; i++) {
    if (byLang[preferred[i]]) {
      byLang[preferred[i]].classList.add("choice--suggested");
      byLang[preferred[i]].parentNode.parentNode.insertBefore(
        byLang[preferred[i]].parentNode, byLang[preferred[i]].parentNode.parentNode.firstChild);
      break;
    }
  }
})();
