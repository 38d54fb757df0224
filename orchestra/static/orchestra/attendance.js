/* The leader's attendance page: a tap on present, late, absent or excused is saved at once,
   without reloading the page; the forms work without this script too. */
(function () {
  "use strict";

  var root = document.querySelector("[data-attendance]");
  if (!root) {
    return;
  }
  var errorBox = root.querySelector("[data-error]");
  var texts = {};
  var template = document.getElementById("attendance-text");
  if (template) {
    template.content.querySelectorAll("[data-key]").forEach(function (node) {
      texts[node.getAttribute("data-key")] = node.textContent;
    });
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showError(message) {
    errorBox.textContent = message || texts.failed || "Error";
    errorBox.hidden = false;
  }

  function update(form, data) {
    var row = form.closest("[data-member]");
    row.setAttribute("data-status", data.status);
    var label = row.querySelector("[data-status-label]");
    if (label) {
      label.textContent = data.status_label;
    }
    form.querySelectorAll("button[name=status]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === data.status ? "true" : "false");
    });
    Object.keys(data.counts || {}).forEach(function (key) {
      var cell = root.querySelector('[data-count="' + key + '"]');
      if (cell) {
        cell.textContent = data.counts[key];
      }
    });
  }

  root.querySelectorAll("form[data-mark]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !window.fetch || !window.FormData) {
        return; // an ordinary form post
      }
      event.preventDefault();
      var body = new FormData(form);
      body.append("status", button.value);
      form.setAttribute("aria-busy", "true");
      errorBox.hidden = true;
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              showError(data && data.detail);
              return;
            }
            update(form, data);
          });
        })
        .catch(function () {
          showError();
        })
        .finally(function () {
          form.removeAttribute("aria-busy");
        });
    });
  });
})();
