// procure: accessibility for htmx updates. While a request runs its target has aria-busy;
// after a swap, focus moves to the first heading of the new content and the one live region
// announces it. Pages work without this file (and without htmx): forms post and reload.
(function () {
  "use strict";
  function live(text) {
    var region = document.getElementById("live");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 60);
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var target = e.detail.target;
    if (target) target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var target = e.detail.target;
    if (target) target.removeAttribute("aria-busy");
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail.target;
    if (!target || target.tagName === "BODY") return;
    var heading = target.querySelector("[data-focus], h1, h2, h3");
    if (!heading) return;
    // results that follow typing or a changed filter are announced, focus stays where the
    // person is; after a button press focus moves to the new result
    var config = e.detail.requestConfig || {};
    var cause = config.triggeringEvent ? config.triggeringEvent.type : "";
    if (cause !== "input" && cause !== "change" && cause !== "keyup") {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    live(heading.getAttribute("data-announce") || heading.textContent.trim());
  });
  document.addEventListener("htmx:sendError", function () {
    live(document.documentElement.lang === "sv" ? "Servern svarar inte." : "The server does not answer.");
  });
})();
