// Save a juror's review as they score: each change posts the whole form to the autosave
// endpoint and shows whether it was saved. The form still works by a normal submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector("[data-autosave-status]");
  var summary = form.querySelector("[data-review-summary]");
  var timer = null;
  var saving = false;
  var again = false;

  function show(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function save() {
    clearTimeout(timer);
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    show("saving", status.dataset.saving);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok && data.saved) {
            show("saved", status.dataset.saved + " " + data.saved_at);
            if (summary && data.summary) summary.textContent = data.summary;
          } else {
            show("error", status.dataset.failed + " " + (data.error || response.status));
          }
        });
      })
      .catch(function () {
        show("error", status.dataset.offline);
      })
      .then(function () {
        saving = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  form.addEventListener("change", save);
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") return;
    show("dirty", status.dataset.unsaved);
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });
})();
