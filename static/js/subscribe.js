// The subscribe box's copy button: shown only where the browser can write the clipboard.
document.querySelectorAll(".subscribe").forEach(function (box) {
  var input = box.querySelector(".subscribe-url");
  var button = box.querySelector(".subscribe-copy-button");
  if (!input || !button) return;
  input.addEventListener("focus", function () { input.select(); });
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      box.querySelector(".subscribe-status").textContent = button.dataset.done;
    });
  });
});
