// The error summary of a sent form (templates/includes/error_summary.html) takes the focus, so a
// screen reader reads it first and a keyboard starts from its links. No inline script: the CSP
// allows only the app's own files.
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}
