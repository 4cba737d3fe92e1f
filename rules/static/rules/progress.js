/* The version page's re-evaluation progress: poll once a second until the job has finished, then reload
   the page so the list of applications whose eligibility changed appears. */
(function () {
  "use strict";
  var dataNode = document.getElementById("job-data");
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  if (!dataNode || !bar || !status) return;
  var data = JSON.parse(dataNode.textContent);
  if (data.job && data.job.finished) return;
  var text = data.text || {};
  var polls = 0;
  var MAX_POLLS = 600;

  function fill(template, job) {
    return template.replace("{done}", job.done).replace("{total}", job.total).replace("{changed}", job.changed);
  }

  function poll() {
    polls += 1;
    fetch(data.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        var job = body && body.job;
        if (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          if (job.finished) {
            status.textContent = fill(text.finished || "", job);
            window.location.reload();
            return;
          }
          status.textContent = fill(text.running || "", job);
        }
        if (polls < MAX_POLLS) window.setTimeout(poll, 1000);
      })
      .catch(function () { if (polls < MAX_POLLS) window.setTimeout(poll, 1000); });
  }

  window.setTimeout(poll, 1000);
})();
