// Borderpost HQ console: live alerts (EventSource) and filtering without reload (fetch).
// Every string from a post is put in the page as text (textContent), never as markup.
"use strict";

(function () {
  const table = document.getElementById("alerts");
  if (!table) return;
  const body = table.tBodies[0];
  const form = document.getElementById("filters");
  const live = document.getElementById("live");
  let source = null;

  function when(seconds) {
    return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19);
  }

  function cell(row, text) {
    const td = row.insertCell();
    td.textContent = text;
    return td;
  }

  function row(a, first) {
    const tr = first ? body.insertRow(0) : body.insertRow();
    tr.className = "sev" + a.priority;
    tr.dataset.uuid = a.uuid;
    cell(tr, when(a.received));
    cell(tr, a.post_id);
    cell(tr, a.lane);
    cell(tr, a.kind);
    cell(tr, a.band);
    const link = document.createElement("a");
    link.href = "/alerts/" + encodeURIComponent(a.uuid);
    link.textContent = a.summary || "(no summary)";
    tr.insertCell().appendChild(link);
    cell(tr, a.status).className = "status";
    return tr;
  }

  function clearEmpty() {
    for (const tr of body.querySelectorAll("tr.empty")) tr.remove();
  }

  function query() {
    const params = new URLSearchParams(new FormData(form));
    for (const [k, v] of [...params]) if (!v) params.delete(k);
    return params;
  }

  function listen(after) {
    if (source) source.close();
    const params = query();
    params.set("after", String(after));
    source = new EventSource("/alerts/stream?" + params.toString());
    source.addEventListener("open", () => live.classList.add("on"));
    source.addEventListener("error", () => live.classList.remove("on"));
    source.addEventListener("logout", () => window.location.assign("/"));
    source.addEventListener("alert", (e) => {
      const a = JSON.parse(e.data);
      if (body.querySelector('tr[data-uuid="' + CSS.escape(a.uuid) + '"]')) return;
      clearEmpty();
      row(a, true).classList.add("new");
    });
  }

  async function filter(event) {
    event.preventDefault();
    const params = query();
    history.replaceState(null, "", "/alerts?" + params.toString());
    params.set("format", "json");
    const resp = await fetch("/alerts?" + params.toString(), { credentials: "same-origin" });
    if (resp.status === 401) return window.location.assign("/");
    const data = await resp.json();
    body.replaceChildren();
    for (const a of data.alerts) row(a, false);
    if (!data.alerts.length) {
      const tr = body.insertRow();
      tr.className = "empty";
      cell(tr, "No alerts match.").colSpan = 7;
    }
    const newest = Math.max(Date.now() / 1000, ...data.alerts.map((a) => a.received));
    listen(newest);
  }

  form.addEventListener("submit", filter);
  listen(Number(table.dataset.newest) || Date.now() / 1000);
})();
