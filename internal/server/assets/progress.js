// Refreshes an audit job's status on /audits/{id} by polling /api/v1/audits/{id} until the job
// is done or failed. It writes text only (textContent), never markup.
"use strict";
(function () {
  const box = document.getElementById("progress");
  if (!box) return;
  const id = box.dataset.job;
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  const result = document.getElementById("result");
  let delay = 500;

  function show(job) {
    status.textContent = job.status;
    status.className = "status-" + job.status;
    box.dataset.status = job.status;
    error.textContent = job.error || "";
    error.hidden = !job.error;
    result.hidden = job.status !== "done";
  }

  async function poll() {
    try {
      const res = await fetch("/api/v1/audits/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
      if (res.ok) {
        const job = await res.json();
        show(job);
        if (job.status === "done" || job.status === "failed") return;
      }
    } catch (e) {
      // A network hiccup: try again later.
    }
    delay = Math.min(delay * 1.5, 5000);
    setTimeout(poll, delay);
  }

  if (box.dataset.status !== "done" && box.dataset.status !== "failed") setTimeout(poll, delay);
})();
