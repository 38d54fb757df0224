// Suggest a group from the birth date, as the registration does: the child's age at the
// season's start, and of the groups admitting that age, the one with the narrowest range.
(function () {
  var form = document.querySelector(".registration-form");
  var note = document.querySelector("[data-group-suggestion]");
  if (!form || !note) return;
  var season = form.querySelector("[name=season]");
  var birth = form.querySelector("[name=birth_date]");

  function ageOn(day, born) {
    var age = day.getFullYear() - born.getFullYear();
    var before = day.getMonth() < born.getMonth() ||
      (day.getMonth() === born.getMonth() && day.getDate() < born.getDate());
    return before ? age - 1 : age;
  }

  function update() {
    var box = document.querySelector('[data-season="' + (season && season.value) + '"]');
    if (!box || !birth.value) { note.hidden = true; return; }
    var start = new Date(box.dataset.seasonStart + "T12:00:00");
    var born = new Date(birth.value + "T12:00:00");
    if (isNaN(born.getTime())) { note.hidden = true; return; }
    var age = ageOn(start, born);
    var best = null;
    box.querySelectorAll("[data-group]").forEach(function (item) {
      var min = parseInt(item.dataset.minAge, 10);
      var max = parseInt(item.dataset.maxAge, 10);
      if (age < min || age > max) return;
      if (!best || max - min < best.range) best = { range: max - min, name: item.textContent.split(":")[0] };
    });
    note.textContent = best ? note.dataset.template.replace("%(group)s", best.name) : note.dataset.none;
    note.hidden = false;
  }

  birth.addEventListener("change", update);
  if (season) season.addEventListener("change", update);
  update();
})();
