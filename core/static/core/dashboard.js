/* The dashboard (core/templates/core/dashboard.html): a form in a panel that comes back to
   the dashboard (its hidden "next" is this page) is sent with fetch, and the panel is
   replaced by its fresh copy, so a guardian's tap on "Coming" keeps their place. Without
   this script, or when the answer is refused, the form is sent as usual. */
(function () {
  "use strict";
  var dashboard = document.querySelector(".dashboard");
  if (!dashboard || !window.fetch || !window.DOMParser || !window.FormData) {
    return;
  }
  var here = window.location.pathname;
  var status = document.getElementById("dashboard-status");

  function sameControl(panel, form, submitter) {
    var session = form.closest("[data-session]");
    var scope = session
      ? panel.querySelector('[data-session="' + session.dataset.session + '"]')
      : panel;
    if (!scope || !submitter || !submitter.name) {
      return null;
    }
    return scope.querySelector(
      'button[name="' + submitter.name + '"][value="' + submitter.value + '"]'
    );
  }

  dashboard.addEventListener("submit", function (event) {
    var form = event.target;
    var next = form.querySelector('input[name="next"]');
    if (!next || next.value.split("#")[0] !== here || form.dataset.sendAsUsual) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var panel = form.closest(".dashboard-panel");
    panel.setAttribute("aria-busy", "true");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || new URL(response.url).pathname !== here) {
          throw new Error("refused");
        }
        return response.text();
      })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.getElementById(panel.id);
        if (!fresh) {
          throw new Error("no panel");
        }
        var said = page.querySelector(".messages");
        panel.replaceWith(fresh);
        if (status) {
          status.textContent = said ? said.textContent.trim() : "";
        }
        var control = sameControl(fresh, form, submitter);
        if (control) {
          control.focus();
        }
      })
      .catch(function () {
        // Refused (the page shows why) or offline: send the form the ordinary way.
        panel.removeAttribute("aria-busy");
        form.dataset.sendAsUsual = "1";
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
  });
})();
