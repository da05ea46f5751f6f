// Poll a white paper export's status address until the export finishes,
// then show its downloads or its error. The page loads this script only
// while the export runs. Without JavaScript, the page reloads itself.
(function () {
  "use strict";

  function start() {
    var section = document.getElementById("white-paper-export");
    if (!section) {
      return;
    }
    var delay = Number(section.dataset.pollSeconds) * 1000;

    function field(name) {
      return section.querySelector('[data-field="' + name + '"]');
    }

    function show(data) {
      field("status_text").textContent = data.status_text;
      field("progress").textContent = data.progress;
      section.querySelector("progress").value = data.progress;
      if (!data.finished) {
        return false;
      }
      field("error_text").textContent = data.error;
      field("error").hidden = data.status !== "failed";
      field("downloads").hidden = data.status !== "done";
      return true;
    }

    function poll() {
      fetch(section.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("Status request failed: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (!show(data)) {
            setTimeout(poll, delay);
          }
        })
        .catch(function () {
          // A dropped connection or a restarting server: try again later.
          setTimeout(poll, delay * 2);
        });
    }

    setTimeout(poll, delay);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
