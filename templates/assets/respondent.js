// Progressive enhancement only (the form works without it): move focus to the error summary on load,
// and move focus to the field when a summary link is followed.
(function () {
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(link.getAttribute('href').slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: 'center' });
    }
  });
})();
