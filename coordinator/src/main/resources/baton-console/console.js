// Baton's HA console. Reads /ha (this JobManager's own view), /ha/health (its ZooKeeper connection
// and the HA storage), /ha/history (the failover history the cluster keeps in ZooKeeper) and
// Flink's /v1 job calls (which a standby passes on to the leader), every few seconds. Values go into the page with textContent
// only: job names are user input and must never become markup.
"use strict";

const REFRESH_MILLIS = 3000;
const TOKEN_COOKIE = "baton-rest-token";

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

const DETECTIONS = {
  FIRST_LEADER: "first leader",
  PROBE: "probe proved it gone",
  SESSION_EXPIRED: "session expired",
  GRACEFUL_STOP: "graceful stop",
};

function leaderName(id, digest) {
  if (!id && !digest) {
    return "–";
  }
  return (id || "?") + (digest ? " (" + digest + ")" : "");
}

function jobOutcome(job) {
  const name = (job.name || job.jobId) + ": ";
  const ms = job.msToRunning == null ? "" : " in " + job.msToRunning + " ms";
  switch (job.outcome) {
    case "RECONCILED":
      return name + "reconciled (adopted " + job.adoptedTasks + " tasks)" + ms;
    case "RESTORED":
      return name + "restored checkpoint " + job.checkpointId + ms;
    case "STARTED_FRESH":
      return name + "started fresh" + ms;
    default:
      return name + "not running";
  }
}

function showHistory(history) {
  const tbody = document.querySelector("#failovers tbody");
  tbody.replaceChildren();
  for (const f of history.entries || []) {
    const how = DETECTIONS[f.detection] || String(f.detection);
    row(tbody, [
      time(f.grantedAt),
      leaderName(f.previousLeaderId, f.previousTokenDigest),
      leaderName(f.leaderId, f.tokenDigest),
      f.evidence ? how + ": " + f.evidence : how,
      f.detectionMs,
      (f.jobs || []).map(jobOutcome).join("; ") || "none",
    ]).className = "failover";
  }
}

function showHealth(health) {
  const zk = health.zookeeper;
  text("zookeeper", zk ? zk.state + " since " + time(zk.since) : "not used (no high availability)");
  document.getElementById("zookeeper").className = zk && zk.state.endsWith("CONNECTED") ? "ok" : "bad";
  const storage = health.storage;
  let line = "not checked (no high availability)";
  if (storage && storage.state === "REACHABLE") {
    line = "reachable (" + storage.latencyMs + " ms): " + storage.uri + ", since " + time(storage.since);
  } else if (storage && storage.state === "UNREACHABLE") {
    line = "unreachable since " + time(storage.since) + ": " + storage.error;
  } else if (storage) {
    line = "not checked yet: " + storage.uri;
  }
  text("storage", line);
  document.getElementById("storage").className =
    !storage || storage.state === "REACHABLE" ? "ok" : "bad";
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
    showHealth(await getJson("../ha/health"));
    showHistory(await getJson("../ha/history"));
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
