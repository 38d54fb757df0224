// Questions of our own (core.questions): show a conditional question only when the earlier
// answer has the given value. The server decides what is asked and required; this only
// saves people from reading questions that are not for them.
(function () {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.type === "checkbox" && input.value === "on") {
        values.push(input.checked ? "yes" : "no");
      } else if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) values.push(input.value);
      } else if (!input.closest("[hidden]")) {
        values.push(input.value);
      }
    });
    return values;
  }

  function wrapperOf(input) {
    return input.closest(".field") || input.parentElement;
  }

  function isShown(form, input) {
    var name = input.getAttribute("data-shown-when");
    var controller = form.querySelector('[name="' + name + '"]');
    if (controller && wrapperOf(controller).hidden) return false;
    var values = valuesOf(form, name);
    // data-shown-unless: shown for any answer but this one (a number of tickets but 0).
    if (input.hasAttribute("data-shown-unless")) {
      return values.length > 0 && values.indexOf(input.getAttribute("data-shown-unless")) === -1;
    }
    return values.indexOf(input.getAttribute("data-shown-value")) !== -1;
  }

  function update(form) {
    // In the questions' order, so that a hidden question hides the ones depending on it.
    form.querySelectorAll("[data-shown-when]").forEach(function (input) {
      wrapperOf(input).hidden = !isShown(form, input);
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-shown-when]")) return;
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
    update(form);
  });
})();
