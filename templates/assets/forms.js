// Progressive enhancement only (every form works without it), on every page: move focus to the error summary on
// load (the respondent form's #error-summary, or the page's first focusable .error-summary), and move focus to the
// field when a summary link is followed.
(function () {
  var summary = document.getElementById('error-summary') || document.querySelector('.error-summary[tabindex="-1"]');
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
