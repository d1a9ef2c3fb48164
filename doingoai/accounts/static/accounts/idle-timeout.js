// Idle-session warning: counts down the last minute and lets the user stay signed in.
// The server keeps the real last-activity time; we report our idle time on each ping, so
// background requests never extend a session nobody is using.
(function () {
  "use strict";
  var template = document.getElementById("idle-timeout-template");
  // Only signed-in screens have a session to keep; the sign-in page has none.
  if (!template || document.querySelector("form input[name='password']")) return;
  document.body.appendChild(template.content.cloneNode(true));
  var dialog = document.getElementById("idle-timeout");
  var expireAfter = parseInt(dialog.dataset.expireAfter, 10);
  var warnBefore = parseInt(dialog.dataset.warnBefore, 10);
  var pingUrl = dialog.dataset.pingUrl;
  var countdown = dialog.querySelector("[data-idle-countdown]");
  var stayButton = dialog.querySelector("[data-idle-stay]");
  var lastActivity = Date.now();
  var timer = null;

  function idleSeconds() { return Math.floor((Date.now() - lastActivity) / 1000); }

  function expire() {
    // Reloading lets the server sign the user out and show the sign-in page.
    window.location.reload();
  }

  function ping() {
    var url = pingUrl + "?idleFor=" + idleSeconds();
    return fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data === "logout") { expire(); return; }
        // Another tab may have seen more recent activity.
        lastActivity = Math.max(lastActivity, Date.now() - data * 1000);
        schedule();
      })
      .catch(schedule);
  }

  function show() {
    if (dialog.hidden) {
      dialog.hidden = false;
      stayButton.focus();
    }
    var left = Math.max(expireAfter - idleSeconds(), 0);
    countdown.textContent = left;
    if (left <= 0) { ping(); return; }
    timer = setTimeout(show, 1000);
  }

  function schedule() {
    clearTimeout(timer);
    var idle = idleSeconds();
    if (idle >= expireAfter) { ping(); return; }
    if (idle >= expireAfter - warnBefore) { show(); return; }
    dialog.hidden = true;
    // Check with the server just before the warning is due.
    timer = setTimeout(ping, (expireAfter - warnBefore - idle) * 1000);
  }

  function activity() {
    if (!dialog.hidden) return; // only the button (or signing out) answers the warning
    lastActivity = Date.now();
  }

  ["keydown", "mousedown", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, activity, { passive: true });
  });
  stayButton.addEventListener("click", function () {
    lastActivity = Date.now();
    dialog.hidden = true;
    ping();
  });
  schedule();
})();
