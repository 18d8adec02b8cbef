/* Printed pages name the day they were printed (the page itself cannot know it): completes the
   print-only line of base.html in the page's language. Without JavaScript it stays hidden. */
(function () {
  "use strict";
  var line = document.querySelector(".print-date");
  if (!line) { return; }
  var now = new Date();
  var time = document.createElement("time");
  time.setAttribute("datetime", now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
                    String(now.getDate()).padStart(2, "0"));
  try {
    time.textContent = now.toLocaleDateString(document.documentElement.lang || undefined,
                                              { year: "numeric", month: "long", day: "numeric" });
  } catch (e) {
    time.textContent = time.getAttribute("datetime");
  }
  line.appendChild(time);
  line.hidden = false;
})();
