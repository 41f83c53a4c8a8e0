// A select marked data-autosubmit sends its form when changed (the year picker):
// behaviour lives here because the Content-Security-Policy runs no inline script.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

// The jobs page: each unfinished job polls its status and moves its bar; a finished one reloads the page
// once, so its file link and message come from the server.
(function () {
  var rows = document.querySelectorAll("tr[data-job-status]");
  if (!rows.length) { return; }
  function poll() {
    var pending = document.querySelectorAll("tr[data-job-status]");
    if (!pending.length) { return; }
    pending.forEach(function (row) {
      fetch(row.getAttribute("data-job-status"), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          if (job.status === "done" || job.status === "failed") {
            row.removeAttribute("data-job-status");
            window.location.reload();
            return;
          }
          var bar = row.querySelector("progress");
          if (job.percent !== null) { bar.value = job.percent; } else { bar.removeAttribute("value"); }
          row.querySelector(".job-count").textContent = job.total ? job.done + "/" + job.total : "…";
          row.querySelector(".job-state").firstChild.textContent = job.status_label;
        });
    });
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1000);
})();
