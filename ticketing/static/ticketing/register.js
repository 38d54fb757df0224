// Show as many attendee name fields as the quantity chosen for each offer.
document.querySelectorAll("[data-offer]").forEach(function (box) {
  var quantity = box.querySelector("select");
  var rows = box.querySelectorAll(".attendee");
  function update() {
    var count = parseInt(quantity.value, 10) || 0;
    rows.forEach(function (row) {
      row.hidden = parseInt(row.dataset.number, 10) > count;
    });
  }
  quantity.addEventListener("change", update);
  update();
});
