// Evidence pages: show only the chosen category's fields; "select all" in the certification queue.
document.addEventListener("DOMContentLoaded", function () {
  var category = document.getElementById("id_category");
  var sets = document.querySelectorAll(".category-fields");
  function showCategory() {
    // Until a category is chosen no set is shown; a hidden set is disabled too, so it is not sent.
    sets.forEach(function (set) {
      set.hidden = set.dataset.category !== category.value;
      set.disabled = set.hidden;
    });
  }
  if (category && sets.length) { category.addEventListener("change", showCategory); showCategory(); }
  document.querySelectorAll(".js-check-all").forEach(function (box) {
    box.addEventListener("change", function () {
      box.form.querySelectorAll('input[name="' + box.dataset.target + '"]').forEach(function (el) { el.checked = box.checked; });
    });
  });
});
