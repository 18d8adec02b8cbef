/* "Copy link" on article pages, progressive enhancement: without this script the link simply
   leads to the page's own address (a reader can copy it from there). With it, the link becomes a
   button that copies the address and says so (in the page's language, from data-copied) in a
   status region that screen readers announce. Nothing is sent anywhere. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("a[data-copy-link]"), function (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(function () {
        status.textContent = link.getAttribute("data-copied");
      }, function () {
        window.location.href = link.href;  // copying refused: open the address instead
      });
    });
    link.parentNode.replaceChild(button, link);
    button.parentNode.appendChild(status);
  });
})();
