// Review pages: N / P move to the next / previous applicant, unless the reviewer is typing.
document.addEventListener("keydown", function (event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  var tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
  var link = document.querySelector('a[data-key="' + event.key.toLowerCase() + '"]');
  if (link) { window.location.href = link.href; }
});

// D1 (R29): a live character count, counted like the server does (NFC code points).
document.addEventListener("DOMContentLoaded", function () {
  var area = document.querySelector("textarea[data-max-chars]");
  var out = document.getElementById("d1-counter");
  if (!area || !out) return;
  var max = parseInt(area.getAttribute("data-max-chars"), 10);
  function update() {
    var n = Array.from(area.value.normalize("NFC")).length;
    var text = out.getAttribute("data-template").replace("{n}", n).replace("{max}", max);
    out.textContent = n > max ? text + "（" + out.getAttribute("data-over") + "）" : text;
    out.classList.toggle("errors", n > max);
  }
  area.addEventListener("input", update);
  update();
});
