// Open LINE's account-link dialog as soon as the page loads. The page
// shows the same link for browsers without JavaScript. The confirmation
// form cannot redirect there, because Chromium applies the Content
// Security Policy's form-action 'self' to redirects after a form POST.
// A navigation from a link is not subject to form-action.
(function () {
  "use strict";
  var link = document.querySelector("[data-line-account-link]");
  if (link) {
    window.location.assign(link.href);
  }
})();
