// Annual selection (年度勾選): keep the running count next to each cap as boxes are ticked.
(function () {
  "use strict";
  function update(kind) {
    var counter = document.querySelector('[data-counter="' + kind + '"]');
    if (!counter) return;
    var cap = parseInt(counter.getAttribute("data-cap"), 10);
    var ticked = document.querySelectorAll('input[name="' + kind + '"]:checked').length;
    counter.textContent = ticked + " / " + cap;
    counter.classList.toggle("full", ticked > cap);
  }
  document.addEventListener("change", function (event) {
    var name = event.target && event.target.name;
    if (name === "outcome" || name === "performance") update(name);
  });
})();
