// Review pages: N / P move to the next / previous applicant, unless the reviewer is typing.
document.addEventListener("keydown", function (event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  var tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
  var link = document.querySelector('a[data-key="' + event.key.toLowerCase() + '"]');
  if (link) { window.location.href = link.href; }
});
