// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
});
