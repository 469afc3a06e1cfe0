// Grade grid (成績登錄): Enter moves down a column, Shift+Enter up; Tab moves right as usual.
// Pasting several lines from a spreadsheet fills the column downwards from the focused cell;
// tab-separated values fill the cells to the right as well. Without JS the grid is a plain form.
document.addEventListener("DOMContentLoaded", function () {
  var grid = document.querySelector("table.grade-grid");
  if (!grid) { return; }
  var rows = Array.prototype.map.call(grid.tBodies[0].rows, function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("input.grade-cell"));
  });
  function position(input) {
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c >= 0) { return [r, c]; }
    }
    return null;
  }
  grid.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.classList.contains("grade-cell")) { return; }
    event.preventDefault();  // Enter would submit the form; it moves instead
    var at = position(event.target);
    var next = rows[at[0] + (event.shiftKey ? -1 : 1)];
    if (next && next[at[1]]) { next[at[1]].focus(); next[at[1]].select(); }
  });
  grid.addEventListener("paste", function (event) {
    var target = event.target;
    if (!target.classList.contains("grade-cell")) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\n") < 0 && text.indexOf("\t") < 0) { return; }  // one value: normal paste
    event.preventDefault();
    var at = position(target);
    var lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    lines.forEach(function (line, i) {
      var row = rows[at[0] + i];
      if (!row) { return; }
      line.split("\t").forEach(function (value, j) {
        var cell = row[at[1] + j];
        if (cell) { cell.value = value.trim(); cell.classList.add("pasted"); }
      });
    });
  });
});
