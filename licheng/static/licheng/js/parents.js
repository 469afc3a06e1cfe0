// Parents area. The personal-data statement (個資使用聲明, seed 004 step 3) must be scrolled to
// the end before its box can be ticked. Without this script the box is simply usable; the
// server still refuses to go on until it is ticked.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector(".js-statement");
  var accept = document.querySelector(".js-statement-accept");
  if (!box || !accept || accept.checked) { return; }
  var hint = document.getElementById("statement-help");
  function atEnd() { return box.scrollTop + box.clientHeight >= box.scrollHeight - 4; }
  function update() {
    if (atEnd()) {
      accept.disabled = false;
      box.removeEventListener("scroll", update);
      if (hint) { hint.textContent = hint.dataset.done || hint.textContent; }
    }
  }
  accept.disabled = true;
  box.addEventListener("scroll", update);
  update();  // a statement short enough to fit needs no scrolling
});
