// Baton's HA console. Reads /ha (this JobManager's own view) and Flink's /v1 job calls (which a
// standby passes on to the leader), every few seconds. Values go into the page with textContent
// only: job names are user input and must never become markup.
"use strict";

const REFRESH_MILLIS = 3000;
const TOKEN_COOKIE = "baton-rest-token";
const SEEN_KEY = "baton-console-failovers";

function text(id, value) {
  document.getElementById(id).textContent = value == null ? "–" : String(value);
}

function time(millis) {
  return millis == null || millis <= 0 ? "–" : new Date(millis).toISOString().replace("T", " ");
}

function row(tbody, cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.textContent = cell == null ? "–" : String(cell);
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
  return tr;
}

async function getJson(path) {
  const answer = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (answer.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("this JobManager needs the REST token: enter it above");
  }
  const body = await answer.json();
  if (!answer.ok) {
    throw new Error(path + " answered " + answer.status + ": " + (body.errors || []).join(" "));
  }
  return body;
}

// leader changes this browser has seen, kept across reloads of the page
function seenFailovers() {
  try {
    return JSON.parse(sessionStorage.getItem(SEEN_KEY) || "{\"last\":null,\"rows\":[]}");
  } catch (e) {
    return { last: null, rows: [] };
  }
}

function noteLeader(ha) {
  const seen = seenFailovers();
  if (ha.leaderId && seen.last && seen.last !== ha.leaderId) {
    seen.rows.unshift({ at: Date.now(), from: seen.last, to: ha.leaderId, since: ha.leaderSince });
  }
  if (ha.leaderId) {
    seen.last = ha.leaderId;
  }
  sessionStorage.setItem(SEEN_KEY, JSON.stringify(seen));
  const tbody = document.querySelector("#failovers tbody");
  tbody.replaceChildren();
  for (const f of seen.rows) {
    row(tbody, [time(f.at), f.from, f.to, time(f.since)]).className = "failover";
  }
}

function showLeadership(ha) {
  text("this-id", ha.id + (ha.leader ? " (leader)" : " (standby)"));
  text("mode", ha.mode);
  text("leader", ha.leaderId || "no leader elected");
  document.getElementById("leader").className = ha.leaderId ? "leader" : "";
  text("leader-since", time(ha.leaderSince));
  text("token-digest", ha.leaderTokenDigest);
  const standbys = (ha.contenders || []).filter((c) => c !== ha.leaderId);
  text("standbys", standbys.length ? standbys.join(", ") : "none");
  noteLeader(ha);
}

async function showJobs() {
  const overview = await getJson("../v1/jobs/overview");
  const rows = await Promise.all(
    overview.jobs.map(async (job) => {
      const [details, checkpoints] = await Promise.all([
        getJson("../v1/jobs/" + encodeURIComponent(job.jid)),
        getJson("../v1/jobs/" + encodeURIComponent(job.jid) + "/checkpoints").catch(() => null),
      ]);
      const latest = checkpoints && checkpoints.latest && checkpoints.latest.completed;
      const restored = details.restoredFrom;
      return [
        job.name,
        job.jid,
        job.state,
        details.recoveries,
        restored ? "checkpoint " + restored.checkpointId : details.recoveries > 0 ? "reconciled" : "–",
        latest ? latest.id + " at " + time(latest.latest_ack_timestamp) : "–",
      ];
    }),
  );
  const tbody = document.querySelector("#jobs tbody");
  tbody.replaceChildren();
  for (const cells of rows) {
    row(tbody, cells).className = "job";
  }
}

async function refresh() {
  const problem = document.getElementById("problem");
  try {
    showLeadership(await getJson("../ha"));
    await showJobs();
    problem.hidden = true;
    text("refreshed", "refreshed " + time(Date.now()));
  } catch (e) {
    problem.textContent = e.message;
    problem.hidden = false;
  }
}

document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = document.getElementById("token").value.trim();
  document.cookie =
    TOKEN_COOKIE + "=" + encodeURIComponent(token) + "; path=/; SameSite=Strict";
  document.getElementById("token-form").hidden = true;
  refresh();
});

refresh();
setInterval(refresh, REFRESH_MILLIS);
