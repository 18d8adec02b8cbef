/* Printed pages name the day they were printed (the page itself cannot know it): fills the
   print-only line of base.html in the page's language. Without JavaScript it stays hidden. */
(function () {
  "use strict";
  var line = document.querySelector(".print-date");
  if (!line) { return; }
  var time = line.querySelector("time");
  var now = new Date();
  var lang = document.documentElement.lang || undefined;
  time.setAttribute("datetime", now.toISOString().slice(0, 10));
  try {
    time.textContent = now.toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
  } catch (e) {
    time.textContent = now.toISOString().slice(0, 10);
  }
  line.hidden = false;
})();
