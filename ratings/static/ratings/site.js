// A select marked data-autosubmit sends its form when changed (the year picker):
// behaviour lives here because the Content-Security-Policy runs no inline script.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
