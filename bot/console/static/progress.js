// The training progress bar: asks /model/status every two seconds and moves the bar. Without
// JavaScript the page refreshes itself every ten seconds instead.
(function () {
  "use strict";
  var bar = document.getElementById("progress");
  var label = document.getElementById("progress-label");
  if (!bar) { return; }
  function poll() {
    fetch("/model/status", {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.value = status.progress || 0;
        bar.textContent = Math.round((status.progress || 0) * 100) + "%";
        if (status.state !== "running") { window.location.reload(); return; }
        if (label && status.step) { label.textContent = "Training a new model: " + status.step + "."; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
}());
