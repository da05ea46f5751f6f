// Warn a signed-in user before the idle session ends, and let them extend it.
//
// The dialog (templates/accounts/session/timeout_dialog.html) carries the
// seconds left when the page was rendered and the extend URL as data
// attributes. "Stay signed in" POSTs to the extend URL with the CSRF token of
// the log-out form inside the dialog, so the page is not reloaded and nothing
// typed into it is lost. When the time runs out, the dialog shows that the
// session has ended and links to the login page, without reloading the page.
(function () {
  "use strict";

  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }

  var title = document.getElementById("session-timeout-title");
  var text = dialog.querySelector("[data-session-text]");
  var activeActions = dialog.querySelector("[data-session-active]");
  var endedActions = dialog.querySelector("[data-session-ended]");
  var extendButton = dialog.querySelector("[data-session-extend]");
  var closeButton = dialog.querySelector("[data-session-close]");
  var tokenInput = dialog.querySelector("input[name=csrfmiddlewaretoken]");
  var warningSeconds = Number(dialog.dataset.warningSeconds);
  // The session ends at this point of the page's monotonic clock (ms).
  var endsAt = 0;
  var warningTimer = null;
  var tickTimer = null;
  var ended = false;

  function secondsLeft() {
    return Math.max(0, Math.ceil((endsAt - performance.now()) / 1000));
  }

  function countdownText(seconds) {
    if (seconds < 60) {
      return dialog.dataset.textSeconds;
    }
    // 80 seconds read as "1 minute", 100 seconds as "2 minutes".
    var minutes = Math.round(seconds / 60);
    if (minutes === 1) {
      return dialog.dataset.textOneMinute;
    }
    return dialog.dataset.textMinutes.replace("{minutes}", String(minutes));
  }

  // The focus moves here in script. An autofocus attribute would stay in
  // the markup of every page and compete with the URL fragment that takes
  // people to a form's error summary.
  function open(focusTarget) {
    if (!dialog.open) {
      dialog.showModal();
    }
    focusTarget.focus();
  }

  // NOTE: the deadline is this page's own. A request from another tab
  // extends the session on the server, but this page still shows the end.
  function showEnded() {
    ended = true;
    window.clearInterval(tickTimer);
    title.textContent = dialog.dataset.titleEnded;
    text.textContent = dialog.dataset.textEnded;
    activeActions.hidden = true;
    endedActions.hidden = false;
    open(endedActions.querySelector("a"));
  }

  function tick() {
    var seconds = secondsLeft();
    if (seconds <= 0) {
      showEnded();
      return;
    }
    var message = countdownText(seconds);
    // Rewriting the same text would make some screen readers repeat it.
    if (text.textContent !== message) {
      text.textContent = message;
    }
  }

  function showWarning() {
    tick();
    if (ended) {
      return;
    }
    open(extendButton);
    window.clearInterval(tickTimer);
    tickTimer = window.setInterval(tick, 1000);
  }

  function schedule(remainingSeconds) {
    endsAt = performance.now() + remainingSeconds * 1000;
    window.clearTimeout(warningTimer);
    window.clearInterval(tickTimer);
    var delay = Math.max(0, remainingSeconds - warningSeconds) * 1000;
    warningTimer = window.setTimeout(showWarning, delay);
  }

  function extend() {
    extendButton.disabled = true;
    fetch(dialog.dataset.extendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": tokenInput ? tokenInput.value : "",
        Accept: "application/json",
      },
    })
      .then(function (response) {
        if (response.status === 401) {
          showEnded();
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data === null) {
          return;
        }
        if (data.warning_seconds !== undefined) {
          warningSeconds = Number(data.warning_seconds);
        }
        schedule(Number(data.remaining_seconds));
        dialog.close();
      })
      .catch(function () {
        text.textContent = dialog.dataset.textFailed;
      })
      .finally(function () {
        extendButton.disabled = false;
      });
  }

  extendButton.addEventListener("click", extend);
  closeButton.addEventListener("click", function () {
    dialog.close();
  });
  // Escape closes the dialog without extending. The countdown goes on, and
  // the dialog comes back when the session ends.
  dialog.addEventListener("cancel", function () {
    if (!ended) {
      window.clearInterval(tickTimer);
      warningTimer = window.setTimeout(showEnded, secondsLeft() * 1000);
    }
  });

  schedule(Number(dialog.dataset.remainingSeconds));
})();
