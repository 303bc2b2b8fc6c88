package io.baton.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.drill.ClusterRest.Leader;
import io.baton.drill.LocalProcesses.Daemon;
import io.baton.drill.LocalProcesses.Kind;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One drill from start to end: finds (or with --start starts) the cluster of conf/, submits the
 * Ledger job, injects the faults one after another, reports each, waits for the job to finish,
 * verifies its output and prints the summary line. Returns the exit code.
 */
final class DrillRun {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration CLUSTER_TIMEOUT = Duration.ofMinutes(3);
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

  private final DrillOptions options;
  private final Installation installation;
  private final ClusterLayout layout;
  private final ClusterRest rest;
  private final BinScripts scripts;
  private final LocalProcesses processes;
  private final Repairs repairs;
  private final Poller poller;
  private final Clock clock;
  private final PrintWriter out;
  private final Runnable onClusterStarted;

  /**
   * @param onClusterStarted called once --start started the cluster, so whoever ends the drill
   *     stops it
   */
  DrillRun(
      DrillOptions options,
      Installation installation,
      ClusterLayout layout,
      BinScripts scripts,
      Repairs repairs,
      Poller poller,
      PrintWriter out,
      Runnable onClusterStarted) {
    this.options = options;
    this.installation = installation;
    this.layout = layout;
    this.rest = new ClusterRest(layout.restSecurity());
    this.scripts = scripts;
    this.processes = new LocalProcesses(installation.pidDir());
    this.repairs = repairs;
    this.poller = poller;
    this.clock = poller.clock();
    this.out = out;
    this.onClusterStarted = onClusterStarted;
  }

  int run() throws InterruptedException {
    checkLayout();
    ensureClusterRuns();
    List<FaultTarget> available = availableTargets();
    TargetChooser chooser = new TargetChooser(options.target(), available, options.seed());
    DrillTimes times = new DrillTimes(layout.sessionTimeout(), layout.heartbeatTimeout());
    List<FaultTarget> planned =
        options.target() == FaultTarget.RANDOM ? available : List.of(options.target());
    long events =
        options.events() != null
            ? options.events()
            : times.defaultEvents(
                options.kills(), planned, options.signal(), options.interval(), options.rate());

    Leader leader = awaitLeader();
    int slots =
        rest.get(leader.restUrl(), "/overview").map(o -> o.path("slots-total").asInt()).orElse(1);
    int parallelism = Math.max(1, Math.min(2, slots));
    Path output = outputDirectory();
    LedgerRun ledger = new LedgerRun(installation.examplesJar(), events, options.rate(), output);
    say(
        "Ledger: %d events on %d accounts at %d/s, parallelism %d, a checkpoint every %d ms; output in %s",
        events,
        LedgerRun.KEYS,
        options.rate(),
        parallelism,
        LedgerRun.CHECKPOINT_INTERVAL_MS,
        output);
    String jobId = ledger.submit(leader.restUrl(), parallelism);
    say("Job %s submitted to %s; waiting for its tasks and a first checkpoint", jobId, leader.id());
    awaitFirstCheckpoint(jobId);

    FaultInjector injector =
        new FaultInjector(scripts, repairs, clock, Duration.ofSeconds(stopTimeoutSeconds()));
    RecoveryWatch watch = new RecoveryWatch(rest, layout.masters(), injector, poller);
    DrillReport report = new DrillReport(out);
    String stoppedEarly = null;
    say(
        "%d fault(s), target %s, signal %s, %d s between faults (session timeout %d s, heartbeat timeout %d s)",
        options.kills(),
        options.target().optionName(),
        options.signal().signalName(),
        options.interval().toSeconds(),
        layout.sessionTimeout().toSeconds(),
        layout.heartbeatTimeout().toSeconds());
    report.header();
    for (int number = 1; number <= options.kills(); number++) {
      Optional<Running> running = awaitJobRunning(jobId);
      if (running.isEmpty()) {
        stoppedEarly =
            "the job ended before fault "
                + number
                + " of "
                + options.kills()
                + ": give it more --events or a lower --rate";
        break;
      }
      FaultTarget target = chooser.next();
      Victim victim = victim(target, running.get(), chooser);
      Duration pause = times.pause(target, options.signal());
      FaultInjector.Injected fault = injector.inject(victim, options.signal());
      FaultResult result =
          watch.watch(
              number,
              jobId,
              victim,
              options.signal(),
              running.get().leader(),
              fault,
              new RecoveryWatch.Expectation(pause, quiet(victim, times), times.recoveryDeadline()));
      report.add(result);
      if (!result.recovered()) {
        stoppedEarly =
            "fault "
                + number
                + " was not recovered; the logs in "
                + installation.logDir()
                + " say more";
        break;
      }
      if (number < options.kills()) {
        poller.pause(options.interval());
      }
    }

    String finalState = awaitJobEnd(jobId, events);
    say("Job %s %s; verifying its output", jobId, finalState);
    LedgerRun.Verification verification = ledger.verify();
    verification.lines().forEach(l -> out.println("    " + l));
    if (stoppedEarly != null) {
      out.println("failover-drill: " + stoppedEarly);
    }
    out.println(
        DrillReport.summary(report.results(), verification.lost(), verification.duplicated()));
    out.flush();
    boolean ok =
        stoppedEarly == null
            && report.results().size() == options.kills()
            && report.allRecovered()
            && finalState.equals("FINISHED")
            && verification.ok();
    if (ok) {
      deleteQuietly(output);
    }
    return ok ? 0 : 1;
  }

  /** The leader and the job's snapshot while all its tasks run. */
  private record Running(Leader leader, JobSnapshot job) {}

  private void checkLayout() {
    if (!layout.highAvailability()) {
      throw new DrillException(
          "the drill needs high-availability.type: zookeeper in "
              + installation.confDir().resolve("baton-conf.yaml"));
    }
    if (options.target() == FaultTarget.ZOOKEEPER && !layout.embeddedZooKeeper()) {
      throw new DrillException(
          "--target zookeeper needs high-availability.zookeeper.quorum: embedded (the drill stops"
              + " only the ZooKeeper server bin/zookeeper.sh runs), not an external ensemble");
    }
    if (options.target() == FaultTarget.STANDBY && layout.masters().size() < 2) {
      throw new DrillException(
          "--target standby needs a second JobManager in "
              + installation.confDir().resolve("masters"));
    }
    for (String master : layout.masters()) {
      String host = master.substring(0, master.lastIndexOf(':'));
      if (!isLocal(host)) {
        throw new DrillException(
            "the JobManager "
                + master
                + " runs on another host; the drill signals processes of this machine only");
      }
    }
  }

  private void ensureClusterRuns() throws InterruptedException {
    boolean answers = layout.masters().stream().anyMatch(rest::answers);
    if (!answers) {
      if (!options.start()) {
        throw new DrillException(
            "no JobManager of "
                + installation.confDir().resolve("masters")
                + " answers: start the cluster (bin/start-cluster.sh) or pass --start");
      }
      say(
          "Starting the cluster of %s (bin/start-cluster.sh); it is stopped again at the end",
          installation.confDir());
      onClusterStarted.run();
      scripts.run(CLUSTER_TIMEOUT, "start-cluster.sh");
    } else if (options.start()) {
      say("A cluster of %s runs already: using it, and leaving it running", installation.confDir());
    }
    awaitLeader();
    awaitCondition(
        "all " + layout.workers() + " TaskManager(s) of conf/workers registered",
        CLUSTER_TIMEOUT,
        () ->
            rest.leader(layout.masters(), Set.of())
                .flatMap(l -> rest.get(l.restUrl(), "/overview"))
                .map(o -> o.path("taskmanagers").asInt() >= layout.workers())
                .orElse(false));
  }

  private List<FaultTarget> availableTargets() {
    List<FaultTarget> targets = new ArrayList<>();
    targets.add(FaultTarget.LEADER);
    if (layout.masters().size() >= 2) {
      targets.add(FaultTarget.STANDBY);
    }
    if (!processes.running(Kind.TASKMANAGER).isEmpty()) {
      targets.add(FaultTarget.TASKMANAGER);
    }
    if (layout.embeddedZooKeeper() && !processes.running(Kind.ZOOKEEPER).isEmpty()) {
      targets.add(FaultTarget.ZOOKEEPER);
    }
    if (options.target() != FaultTarget.RANDOM && !targets.contains(options.target())) {
      throw new DrillException(
          "--target "
              + options.target().optionName()
              + ": no such process of this installation runs"
              + " (no live pid file in "
              + installation.pidDir()
              + ")");
    }
    return targets;
  }

  private Victim victim(FaultTarget target, Running running, TargetChooser chooser) {
    Leader leader = running.leader();
    return switch (target) {
      case LEADER -> jobManager(FaultTarget.LEADER, leader.id());
      case STANDBY -> {
        List<String> standbys =
            layout.masters().stream()
                .filter(m -> !m.equals(leader.id()))
                .filter(m -> processes.jobManagerOnRestPort(port(m)).isPresent())
                .toList();
        if (standbys.isEmpty()) {
          throw new DrillException("no standby JobManager of this installation runs");
        }
        yield jobManager(FaultTarget.STANDBY, chooser.pick(standbys));
      }
      case TASKMANAGER -> taskManager(running, chooser);
      case ZOOKEEPER -> {
        Daemon zk =
            processes.running(Kind.ZOOKEEPER).stream()
                .findFirst()
                .orElseThrow(
                    () -> new DrillException("the embedded ZooKeeper server does not run"));
        yield new Victim(
            FaultTarget.ZOOKEEPER, zk.pid(), zk.address(), false, List.of("zookeeper.sh", "start"));
      }
      case RANDOM -> throw new IllegalStateException("random is resolved by the chooser");
    };
  }

  private Victim jobManager(FaultTarget target, String master) {
    Daemon jm =
        processes
            .jobManagerOnRestPort(port(master))
            .orElseThrow(
                () ->
                    new DrillException(
                        "the JobManager "
                            + master
                            + " was not started by this installation's bin/"
                            + " (no live pid file in "
                            + installation.pidDir()
                            + ")"));
    String host = master.substring(0, master.lastIndexOf(':'));
    return new Victim(
        target,
        jm.pid(),
        master,
        false,
        List.of(
            "jobmanager.sh",
            "start",
            "-Drest.port=" + port(master),
            "-Drest.address=" + host,
            "-Djobmanager.rpc.port=0"));
  }

  /** A TaskManager running the job's tasks when there is one, else any. */
  private Victim taskManager(Running running, TargetChooser chooser) {
    List<Daemon> all = processes.running(Kind.TASKMANAGER);
    if (all.isEmpty()) {
      throw new DrillException("no TaskManager of this installation runs");
    }
    Set<String> busyIds = running.job().taskManagerIds();
    Set<Integer> busyPorts = new java.util.HashSet<>();
    rest.get(running.leader().restUrl(), "/taskmanagers")
        .ifPresent(
            tms -> {
              for (JsonNode tm : tms.path("taskmanagers")) {
                if (busyIds.contains(tm.path("id").asText())) {
                  String path = tm.path("path").asText("");
                  try {
                    busyPorts.add(Integer.parseInt(path.substring(path.lastIndexOf(':') + 1)));
                  } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    // not a host:port: cannot tell this one apart
                  }
                }
              }
            });
    List<Daemon> busy =
        all.stream()
            .filter(
                d ->
                    TaskManagerPorts.listeningPorts(d.pid()).stream().anyMatch(busyPorts::contains))
            .toList();
    Daemon chosen = chooser.pick(busy.isEmpty() ? all : busy);
    return new Victim(
        FaultTarget.TASKMANAGER,
        chosen.pid(),
        chosen.address(),
        busy.contains(chosen),
        List.of("taskmanager.sh", "start"));
  }

  /** How long an undisturbed job must keep running after this fault to count as "no failover". */
  private static Duration quiet(Victim victim, DrillTimes times) {
    return switch (victim.target()) {
      case LEADER -> null;
      case STANDBY -> Duration.ZERO;
      case TASKMANAGER ->
          victim.runsTasks() ? times.heartbeatTimeout().plus(DrillTimes.SLACK) : Duration.ZERO;
      case ZOOKEEPER -> times.sessionTimeout().plus(DrillTimes.SLACK);
      case RANDOM -> throw new IllegalStateException("random is resolved by the chooser");
    };
  }

  private Leader awaitLeader() throws InterruptedException {
    Leader[] found = new Leader[1];
    awaitCondition(
        "a leader among " + String.join(", ", layout.masters()),
        CLUSTER_TIMEOUT,
        () -> {
          found[0] = rest.leader(layout.masters(), Set.of()).orElse(null);
          return found[0] != null;
        });
    return found[0];
  }

  private void awaitFirstCheckpoint(String jobId) throws InterruptedException {
    awaitCondition(
        "job " + jobId + " running with a completed checkpoint",
        CLUSTER_TIMEOUT,
        () -> {
          Optional<Leader> leader = rest.leader(layout.masters(), Set.of());
          if (leader.isEmpty()) {
            return false;
          }
          boolean running =
              JobSnapshot.fetch(rest, leader.get().restUrl(), jobId)
                  .map(j -> j.allRunning() || j.terminal())
                  .orElse(false);
          return running
              && rest.get(leader.get().restUrl(), "/jobs/" + jobId + "/checkpoints")
                  .map(c -> c.path("latest").path("completed").isObject())
                  .orElse(false);
        });
  }

  /** Waits until all tasks run under a leader; empty when the job ended. */
  private Optional<Running> awaitJobRunning(String jobId) throws InterruptedException {
    Running found =
        poller
            .until(
                CLUSTER_TIMEOUT,
                POLL,
                () ->
                    rest.leader(layout.masters(), Set.of())
                        .flatMap(
                            leader ->
                                JobSnapshot.fetch(rest, leader.restUrl(), jobId)
                                    .filter(job -> job.terminal() || job.allRunning())
                                    .map(job -> new Running(leader, job))))
            .orElseThrow(
                () ->
                    new DrillException(
                        "job "
                            + jobId
                            + " did not run with all its tasks within "
                            + CLUSTER_TIMEOUT.toMinutes()
                            + " minutes"));
    return found.job().terminal() ? Optional.empty() : Optional.of(found);
  }

  private String awaitJobEnd(String jobId, long events) throws InterruptedException {
    say("Waiting for job %s to finish", jobId);
    Duration timeout =
        Duration.ofMillis((events / options.rate()) * 2000).plus(Duration.ofMinutes(5));
    return poller
        .until(
            timeout,
            Duration.ofSeconds(1),
            () ->
                rest.leader(layout.masters(), Set.of())
                    .flatMap(leader -> rest.get(leader.restUrl(), "/jobs/" + jobId))
                    .map(job -> job.path("state").asText(""))
                    .filter(state -> Set.of("FINISHED", "FAILED", "CANCELED").contains(state)))
        .orElse("still not finished");
  }

  private void awaitCondition(String what, Duration timeout, Supplier<Boolean> condition)
      throws InterruptedException {
    poller
        .until(timeout, POLL, () -> Optional.of(true).filter(yes -> condition.get()))
        .orElseThrow(
            () -> new DrillException("no " + what + " within " + timeout.toSeconds() + " s"));
  }

  private Path outputDirectory() {
    try {
      Path base = Path.of(System.getProperty("java.io.tmpdir"));
      return Files.createTempDirectory(base, "baton-drill-").resolve("out");
    } catch (IOException e) {
      throw new DrillException("cannot create the output directory: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path output) {
    Path dir = output.getParent();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  private long stopTimeoutSeconds() {
    String value = installation.stopTimeout();
    try {
      return value == null ? 30 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 30;
    }
  }

  private static int port(String master) {
    return Integer.parseInt(master.substring(master.lastIndexOf(':') + 1));
  }

  private static boolean isLocal(String host) {
    if (LOCAL_HOSTS.contains(host)) {
      return true;
    }
    try {
      return host.equals(InetAddress.getLocalHost().getHostName())
          || InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private void say(String format, Object... args) {
    out.println("==> " + String.format(format, args));
    out.flush();
  }
}
