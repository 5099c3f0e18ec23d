package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the benchmarks the performance targets are stated in, fork by fork, and prints each target's verdict on the
 * median of the per-fork ratios, with their spread; then checks hostile bodies outside JMH.
 *
 * <pre>
 *   mvn -B -f .ci/pom.xml -Pbenchmarks package -Dmaven.test.skip=true
 *   java -jar .ci/target/benchmarks.jar                 # the verdicts, about 5½ minutes on 2 cores
 *   java -jar .ci/target/benchmarks.jar --quick         # the same, 2 short forks, about 2 minutes: not to be recorded
 *   java -jar .ci/target/benchmarks.jar --info          # the informational ratios (no verdict), about 10 minutes
 *   java -jar .ci/target/benchmarks.jar --anatomy       # the cost of each step of a delivery (no verdict)
 *   java -jar .ci/target/benchmarks.jar --hostile-only  # only the hostile-body checks, seconds
 * </pre>
 *
 * <p>The method (docs/performance.md says why): every benchmark that feeds a verdict runs in {@code bench.forks}
 * forks (3 unless overridden; at least 2), one JMH run per fork, in rounds: round {@code i} runs fork {@code i} of
 * every benchmark, the two sides of each ratio next to each other, and every other round in reverse order, so that a
 * slow minute of the machine falls on both sides of a pair. A fork's score is the median of its measurement
 * iterations. Each ratio is computed per round (fork {@code i} of one side against fork {@code i} of the other), and
 * the verdict is taken on the median of those ratios, unless their spread (min to max) straddles the target: then
 * the row is "inconclusive".
 *
 * <p>System properties: {@code bench.forks} (rounds), {@code bench.warmup} and {@code bench.iterations} (numbers of
 * iterations), {@code bench.seconds} (per iteration), to override what each benchmark class declares;
 * {@code bench.include} (a regular expression on the row names, e.g. {@code DeliveryBench}, restricting what is run),
 * {@code bench.sample} (a body template, see {@link Bodies}), {@code bench.result} (where JMH's results are written,
 * as JSON, one entry per fork), {@code bench.verbose=true} (JMH's own output for every fork).
 *
 * <p>Exit status: 0 when every target is met; otherwise the sum of 1 (some target missed: a FAIL row) and 2 (some
 * row inconclusive), so 1, 2 or 3; 4 when the run itself failed. {@code --quick} gives the same codes on verdicts
 * that are not to be recorded; {@code --info} and {@code --anatomy} give 0. No unit test times anything.
 */
public final class BenchmarkReport {

    private static final long MIB = 1024L * 1024;

    /** One benchmark with its parameters: one row of the scores table. */
    record Bench(String key, String include, Map<String, String> params) {}

    private static Bench bench(String method, String... params) {
        StringBuilder key = new StringBuilder(method);
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            key.append(i == 0 ? "[" : ",").append(params[i]).append('=').append(params[i + 1]);
            p.put(params[i], params[i + 1]);
        }
        if (params.length > 0) {
            key.append(']');
        }
        return new Bench(key.toString(), "\\." + method.replace(".", "\\.") + "$", p);
    }

    /** A ratio of two rows, fork by fork; {@code target} 0 for information only. */
    record Ratio(String name, String numerator, String denominator, double target, boolean atMost) {}

    /**
     * What the verdicts need, in the order of a round: the two sides of every ratio are next to each other (floor,
     * ours, generic: ours / floor and generic / ours; match 10,000, match 10, multibranch 1,000, multibranch 1). A
     * multibranch layout is compared with itself at 1 project: against the 10 plain triggers it would measure a second
     * matching trigger (the project's and its branch job's), not the number of triggers; that is in {@code --info}.
     */
    static final List<Bench> VERDICT_BENCHES = List.of(
            bench("DeliveryBench.floor", "body", "push-14k"),
            bench("DeliveryBench.ours", "body", "push-14k"),
            bench("DeliveryBench.generic", "body", "push-14k"),
            bench("DeliveryBench.floor", "body", "log-2m"),
            bench("DeliveryBench.ours", "body", "log-2m"),
            bench("DeliveryBench.generic", "body", "log-2m"),
            bench("MatchBench.match", "triggers", "10000"),
            bench("MatchBench.match", "triggers", "10"),
            bench("MatchBench.matchMultibranch", "projects", "1000"),
            bench("MatchBench.matchMultibranch", "projects", "1"),
            bench("OversizeBench.streamed"),
            bench("OversizeBench.declared"));

    static final List<Ratio> VERDICT_RATIOS = List.of(
            new Ratio("ours / floor, push-14k", "DeliveryBench.ours[body=push-14k]",
                    "DeliveryBench.floor[body=push-14k]", 1.5, true),
            new Ratio("ours / floor, log-2m", "DeliveryBench.ours[body=log-2m]", "DeliveryBench.floor[body=log-2m]",
                    1.5, true),
            new Ratio("generic / ours, push-14k", "DeliveryBench.generic[body=push-14k]",
                    "DeliveryBench.ours[body=push-14k]", 2.0, false),
            new Ratio("generic / ours, log-2m", "DeliveryBench.generic[body=log-2m]",
                    "DeliveryBench.ours[body=log-2m]", 1.5, false),
            new Ratio("match, 10,000 / 10 triggers over 200 projects", "MatchBench.match[triggers=10000]",
                    "MatchBench.match[triggers=10]", 1.2, true),
            new Ratio("match, 1,000 / 1 multibranch project of 50 branch jobs (51,000 / 51 triggers, same layout)",
                    "MatchBench.matchMultibranch[projects=1000]", "MatchBench.matchMultibranch[projects=1]", 1.2,
                    true));

    /** {@code --info}: what the informational ratios need, same method, no verdict. */
    static final List<Bench> INFO_BENCHES = List.of(
            bench("DeliveryBench.floorWithRead", "body", "push-14k"),
            bench("DeliveryBench.ours", "body", "push-14k"),
            bench("DeliveryBench.gwtLiteral", "body", "push-14k"),
            bench("DeliveryBench.generic", "body", "push-14k"),
            bench("DeliveryBench.oursQueued", "body", "push-14k"),
            bench("DeliveryBench.oursWithoutReplay", "body", "push-14k"),
            bench("DeliveryBench.floor", "body", "push-14k"),
            bench("DeliveryBench.floorWithRead", "body", "log-2m"),
            bench("DeliveryBench.ours", "body", "log-2m"),
            bench("DeliveryBench.gwtLiteral", "body", "log-2m"),
            bench("DeliveryBench.generic", "body", "log-2m"),
            bench("DeliveryBench.oursQueued", "body", "log-2m"),
            bench("DeliveryBench.oursWithoutReplay", "body", "log-2m"),
            bench("DeliveryBench.floor", "body", "log-2m"),
            bench("MatchBench.scanAll", "triggers", "10000"),
            bench("MatchBench.match", "triggers", "10000"),
            bench("MatchBench.matchSameTarget", "triggers", "10000"),
            bench("MatchBench.matchSameTarget", "triggers", "10"),
            bench("MatchBench.matchMultibranch", "projects", "1000"),
            bench("MatchBench.match", "triggers", "10"));

    static final List<Ratio> INFO_RATIOS = infoRatios();

    private static List<Ratio> infoRatios() {
        List<Ratio> out = new ArrayList<>();
        for (String body : List.of("push-14k", "log-2m")) {
            String p = "[body=" + body + "]";
            out.add(new Ratio("ours / floor including reading the body once, " + body, "DeliveryBench.ours" + p,
                    "DeliveryBench.floorWithRead" + p, 0, true));
            out.add(new Ratio("generic / floor including reading the body once: the most any endpoint can beat it by, "
                    + body, "DeliveryBench.generic" + p, "DeliveryBench.floorWithRead" + p, 0, false));
            out.add(new Ratio("generic-webhook-trigger as written / ours, " + body, "DeliveryBench.gwtLiteral" + p,
                    "DeliveryBench.ours" + p, 0, false));
            out.add(new Ratio("ours + redacted copy for the queued build / floor, " + body,
                    "DeliveryBench.oursQueued" + p, "DeliveryBench.floor" + p, 0, true));
            out.add(new Ratio("ours / ours without replay (no redacted copy kept in the delivery log), " + body,
                    "DeliveryBench.ours" + p, "DeliveryBench.oursWithoutReplay" + p, 0, true));
            out.add(new Ratio("ours without replay / floor, " + body, "DeliveryBench.oursWithoutReplay" + p,
                    "DeliveryBench.floor" + p, 0, true));
        }
        out.add(new Ratio("match, worst case: 10,000 / 10 triggers all for the delivery's environment (linear)",
                "MatchBench.matchSameTarget[triggers=10000]", "MatchBench.matchSameTarget[triggers=10]", 0, true));
        out.add(new Ratio("match, 1,000 multibranch projects (51,000 triggers, 2 match) / 10 triggers (1 matches)",
                "MatchBench.matchMultibranch[projects=1000]", "MatchBench.match[triggers=10]", 0, true));
        out.add(new Ratio("scan of every trigger (no index) / index, 10,000 triggers",
                "MatchBench.scanAll[triggers=10000]", "MatchBench.match[triggers=10000]", 0, false));
        return out;
    }

    enum Verdict {
        PASS,
        FAIL,
        INCONCLUSIVE,
        INFO;

        String text() {
            return this == INCONCLUSIVE ? "inconclusive" : this == INFO ? "info" : name();
        }
    }

    /** Per row, one result per fork, in the order of the rounds. */
    private final Map<String, List<BenchmarkResult>> forks = new LinkedHashMap<>();

    private final List<RunResult> raw = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> ratioRows = new ArrayList<>();
    private boolean failed;
    private boolean inconclusive;
    private final boolean quick;
    private final boolean verdicts;
    private int rounds;
    private double meanLoad = Double.NaN;
    private double maxLoad = Double.NaN;

    private BenchmarkReport(boolean quick, boolean verdicts) {
        this.quick = quick;
        this.verdicts = verdicts;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(Arrays.asList(args));
        } catch (Throwable e) {
            e.printStackTrace();
            System.out.println("THE RUN FAILED: " + e);
            status = 4;
        }
        System.exit(status);
    }

    private static int run(List<String> flags) throws Exception {
        boolean hostileOnly = flags.contains("--hostile-only");
        boolean anatomy = flags.contains("--anatomy");
        boolean info = flags.contains("--info");
        boolean quick = flags.contains("--quick");
        BenchmarkReport report = new BenchmarkReport(quick, !anatomy && !info);
        long start = System.nanoTime();
        String before = load();
        if (quick) {
            System.out.println(QUICK_BANNER);
        }
        System.out.println("[bench] push-14k body: " + Bodies.push().source());
        if (anatomy) {
            report.runJmh(List.of(), "\\.AnatomyBench\\.");
        } else if (!hostileOnly) {
            report.runRounds(info ? INFO_BENCHES : VERDICT_BENCHES);
        }
        if (!anatomy && !info) {
            report.hostileBodies();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.println();
        System.out.println(machine());
        System.out.println("load average (1, 5, 15 min) before: " + before + ", after: " + load()
                + String.format(Locale.ROOT, "; 1-min load during the JMH runs: mean %.2f, max %.2f", report.meanLoad,
                        report.maxLoad)
                + (report.meanLoad > 1.5
                        ? "  WARNING: other processes competed for the two cores: these verdicts are not to be recorded"
                        : ""));
        System.out.printf(Locale.ROOT, "wall time of the whole report: %d min %02d s%n", seconds / 60, seconds % 60);
        report.print(hostileOnly, anatomy ? List.of() : info ? INFO_RATIOS : VERDICT_RATIOS);
        if (!report.verdicts) {
            return 0;
        }
        return (report.failed ? 1 : 0) + (report.inconclusive ? 2 : 0);
    }

    static final String QUICK_BANNER = "QUICK RUN (--quick): 2 short forks per benchmark, for development only. "
            + "Its verdicts are NOT to be recorded: run without --quick for those.";

    // ---------------------------------------------------------------------------------------------------------------
    // Running JMH

    /** Round i runs fork i of every benchmark, in the list's order in even rounds and in reverse in odd ones. */
    private void runRounds(List<Bench> benches) throws Exception {
        rounds = Integer.getInteger("bench.forks", quick ? 2 : 3);
        if (rounds < 2) {
            throw new IllegalArgumentException("bench.forks must be at least 2: a spread needs two forks");
        }
        String filter = System.getProperty("bench.include");
        List<Bench> selected = new ArrayList<>();
        for (Bench b : benches) {
            if (filter == null || java.util.regex.Pattern.compile(filter).matcher(b.key()).find()) {
                selected.add(b);
            }
        }
        LoadSampler sampler = LoadSampler.start();
        try {
            for (int round = 0; round < rounds; round++) {
                List<Bench> order = new ArrayList<>(selected);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Bench b : order) {
                    long t0 = System.nanoTime();
                    runJmh(List.of(b), b.include());
                    List<BenchmarkResult> f = forks.get(b.key());
                    BenchmarkResult last = f == null ? null : f.get(f.size() - 1);
                    System.out.printf(Locale.ROOT, "[bench] round %d/%d  %-45s %10s  (%.0f s, load %.2f)%n",
                            round + 1, rounds, b.key(), last == null ? "?" : time(forkScore(last)),
                            (System.nanoTime() - t0) / 1e9, loadAverage());
                }
            }
        } finally {
            sampler.stop();
            meanLoad = sampler.mean();
            maxLoad = sampler.max();
        }
        writeResults();
    }

    /**
     * Each fork's JVM options. Without on-stack replacement: with it, a fork whose long loops (the 2 MB MAC and token
     * passes) first ran as OSR code kept a slower compilation for all its iterations, in about 4 forks of 10
     * ({@code floor} on 2 MB: 1.46 to 1.88 ms over 8 forks; 1.47 to 1.55 ms without OSR). A delivery in Jenkins runs
     * its methods' normal compilations once warm, which is what this measures. {@code -Dbench.osr=true} keeps OSR.
     */
    static String[] forkJvmArgs() {
        // One list, set once: a second jvmArgsAppend replaces the first (it did, dropping the heap options whenever
        // -Dbench.sample was given).
        List<String> args = new ArrayList<>(List.of("-Xms2g", "-Xmx2g"));
        if (!Boolean.getBoolean("bench.osr")) {
            args.add("-XX:-UseOnStackReplacement");
        }
        if (System.getProperty("bench.sample") != null) {
            args.add("-Dbench.sample=" + System.getProperty("bench.sample"));
        }
        return args.toArray(new String[0]);
    }

    /** One JMH run: the given benchmarks (one fork each), or {@code include} with the classes' own forks. */
    private void runJmh(List<Bench> one, String include) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .jvmArgsAppend(forkJvmArgs())
                .addProfiler(GCProfiler.class)
                .addProfiler(CpuTimeProfiler.class)
                .shouldFailOnError(true)
                .verbosity(one.isEmpty() || Boolean.getBoolean("bench.verbose") ? VerboseMode.NORMAL
                        : VerboseMode.SILENT);
        for (Bench b : one) {
            b.params().forEach(options::param);
            options.forks(1).warmupForks(0);
        }
        if (quick) {
            options.warmupIterations(4).warmupTime(TimeValue.milliseconds(500));
            options.measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        if (Integer.getInteger("bench.warmup") != null) {
            options.warmupIterations(Integer.getInteger("bench.warmup"));
        }
        if (Integer.getInteger("bench.iterations") != null) {
            options.measurementIterations(Integer.getInteger("bench.iterations"));
        }
        if (Integer.getInteger("bench.seconds") != null) {
            options.warmupTime(TimeValue.seconds(Integer.getInteger("bench.seconds")));
            options.measurementTime(TimeValue.seconds(Integer.getInteger("bench.seconds")));
        }
        if (one.isEmpty() && Integer.getInteger("bench.forks") != null) {
            options.forks(Integer.getInteger("bench.forks"));
        }
        LoadSampler sampler = one.isEmpty() ? LoadSampler.start() : null;
        for (RunResult r : new Runner(options.build()).run()) {
            raw.add(r);
            forks.computeIfAbsent(key(r), k -> new ArrayList<>()).addAll(r.getBenchmarkResults());
        }
        if (sampler != null) {
            sampler.stop();
            meanLoad = sampler.mean();
            maxLoad = sampler.max();
            writeResults();
        }
    }

    private void writeResults() {
        String file = resultFile();
        ResultFormatFactory.getInstance(ResultFormatType.JSON, file).writeOut(raw);
        System.out.println("[bench] JMH results, one entry per fork: " + file);
    }

    private static String resultFile() {
        String configured = System.getProperty("bench.result");
        if (configured != null) {
            return configured;
        }
        Path target = Paths.get(".ci", "target");
        return (Files.isDirectory(target) ? target : Paths.get(System.getProperty("java.io.tmpdir")))
                .resolve("benchmarks-result.json").toString();
    }

    /** "DeliveryBench.ours[body=push-14k]". */
    private static String key(RunResult r) {
        String[] parts = r.getParams().getBenchmark().split("\\.");
        List<String> keys = new ArrayList<>(r.getParams().getParamsKeys());
        String[] params = new String[2 * keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            params[2 * i] = keys.get(i);
            params[2 * i + 1] = r.getParams().getParam(keys.get(i));
        }
        return bench(parts[parts.length - 2] + "." + parts[parts.length - 1], params).key();
    }

    /** The 1-minute load average every 5 seconds while the benchmarks run. */
    private static final class LoadSampler {
        private final Thread thread;
        private double sum;
        private double max;
        private int count;

        private LoadSampler() {
            thread = new Thread(() -> {
                try {
                    while (true) {
                        sample();
                        Thread.sleep(5000);
                    }
                } catch (InterruptedException e) {
                    // run over
                }
            }, "load-sampler");
            thread.setDaemon(true);
        }

        static LoadSampler start() {
            LoadSampler s = new LoadSampler();
            s.thread.start();
            return s;
        }

        private synchronized void sample() {
            double l = loadAverage();
            sum += l;
            max = Math.max(max, l);
            count++;
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }

        synchronized double mean() {
            return count == 0 ? loadAverage() : sum / count;
        }

        synchronized double max() {
            return count == 0 ? loadAverage() : max;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scores and ratios

    /** A fork's score, in ns: the median of its measurement iterations. */
    static double forkScore(BenchmarkResult fork) {
        List<Double> it = new ArrayList<>();
        for (IterationResult i : fork.getIterationResults()) {
            it.add(nanos(i.getPrimaryResult()));
        }
        return median(it);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private List<Double> perFork(String key, ToDoubleFunction<BenchmarkResult> f) {
        List<Double> out = new ArrayList<>();
        for (BenchmarkResult b : forks.getOrDefault(key, List.of())) {
            out.add(f.applyAsDouble(b));
        }
        return out;
    }

    private static double secondary(BenchmarkResult fork, String label) {
        for (Map.Entry<String, Result> e : fork.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(label)) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    /**
     * PASS when every fork's value meets the target, FAIL when none does, inconclusive when the spread straddles
     * it. With the median between min and max, PASS and FAIL are also what the median says.
     */
    static Verdict verdict(double min, double max, double target, boolean atMost) {
        if (target == 0) {
            return Verdict.INFO;
        }
        boolean allMeet = atMost ? max <= target : min >= target;
        boolean noneMeets = atMost ? min > target : max < target;
        return allMeet ? Verdict.PASS : noneMeets ? Verdict.FAIL : Verdict.INCONCLUSIVE;
    }

    private void count(Verdict v) {
        failed |= v == Verdict.FAIL;
        inconclusive |= v == Verdict.INCONCLUSIVE;
    }

    private void print(boolean hostileOnly, List<Ratio> ratios) {
        System.out.println();
        System.out.println("## Platform.sh Webhook: performance report" + (quick ? " (QUICK: not to be recorded)" : ""));
        System.out.println();
        if (quick) {
            System.out.println(QUICK_BANNER);
            System.out.println();
        }
        if (!hostileOnly) {
            printScores();
            System.out.println();
            for (Ratio r : ratios) {
                ratio(r);
            }
            oversize();
            if (!ratioRows.isEmpty()) {
                System.out.println("Each ratio is computed per round (fork i of one side / fork i of the other, each fork's "
                        + "score the median of its measurement iterations); the verdict is on the median of the " + rounds
                        + " ratios, inconclusive when their spread straddles the target. CPU time: the ratio of the "
                        + "median CPU time per op, for information.");
                System.out.println();
                System.out.println("| check | median ratio | spread (min – max) | per fork | medians | CPU time | target "
                        + "| verdict |");
                System.out.println("|---|---|---|---|---|---|---|---|");
                for (String[] r : ratioRows) {
                    System.out.println("| " + String.join(" | ", r) + " |");
                }
                System.out.println();
            }
        }
        if (!rows.isEmpty()) {
            System.out.println("| check | measured | target | verdict |");
            System.out.println("|---|---|---|---|");
            for (String[] r : rows) {
                System.out.println("| " + String.join(" | ", r) + " |");
            }
            System.out.println();
        }
        if (verdicts) {
            System.out.println((quick ? "QUICK RUN, NOT TO BE RECORDED: " : "")
                    + (!failed && !inconclusive ? "ALL TARGETS MET"
                            : (failed ? "SOME TARGETS MISSED (see FAIL rows)" : "")
                                    + (failed && inconclusive ? "; " : "")
                                    + (inconclusive ? "SOME ROWS INCONCLUSIVE (their spread straddles the target)" : "")));
        }
    }

    private void printScores() {
        System.out.println("| benchmark | median of forks | per fork | CPU time per op | CPU used | allocated per op |");
        System.out.println("|---|---|---|---|---|---|");
        for (String key : forks.keySet()) {
            List<Double> scores = perFork(key, BenchmarkReport::forkScore);
            StringBuilder each = new StringBuilder();
            for (double s : scores) {
                each.append(each.length() == 0 ? "" : ", ").append(time(s));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", key, time(median(scores)), each,
                    time(median(perFork(key, b -> secondary(b, "cpu.time.norm")))),
                    cores(median(perFork(key, b -> secondary(b, "cpu.util")))),
                    bytes(median(perFork(key, b -> secondary(b, "gc.alloc.rate.norm")))));
        }
    }

    private void ratio(Ratio r) {
        List<Double> n = perFork(r.numerator(), BenchmarkReport::forkScore);
        List<Double> d = perFork(r.denominator(), BenchmarkReport::forkScore);
        int pairs = Math.min(n.size(), d.size());
        if (pairs == 0) {
            return;
        }
        List<Double> ratios = new ArrayList<>();
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            double q = n.get(i) / d.get(i);
            ratios.add(q);
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", q));
        }
        double median = median(ratios);
        double min = Collections.min(ratios);
        double max = Collections.max(ratios);
        double cpu = median(perFork(r.numerator(), b -> secondary(b, "cpu.time.norm")))
                / median(perFork(r.denominator(), b -> secondary(b, "cpu.time.norm")));
        Verdict v = pairs < 2 ? Verdict.INCONCLUSIVE : verdict(min, max, r.target(), r.atMost());
        if (r.target() != 0) {
            count(v);
        }
        ratioRows.add(new String[] {r.target() == 0 ? "(info) " + r.name() : r.name(),
                String.format(Locale.ROOT, "**%.2fx**", median), String.format(Locale.ROOT, "%.2f – %.2f", min, max),
                each.toString(), time(median(n)) + " / " + time(median(d)),
                Double.isNaN(cpu) ? "?" : String.format(Locale.ROOT, "%.2fx", cpu),
                r.target() == 0 ? "-" : (r.atMost() ? "<= " : ">= ") + r.target() + "x", verdictText(v)});
    }

    private String verdictText(Verdict v) {
        return quick && v != Verdict.INFO ? v.text() + " (quick)" : v.text();
    }

    /** Allocation per refused delivery: the same in every fork unless something is wrong, and judged the same way. */
    private void oversize() {
        List<Double> streamed = perFork("OversizeBench.streamed", b -> secondary(b, "gc.alloc.rate.norm"));
        if (!streamed.isEmpty()) {
            double limit = DeliverySettings.DEFAULT_MAX_BODY_BYTES;
            double min = Collections.min(streamed) / limit;
            double max = Collections.max(streamed) / limit;
            double target = 1.1 + 64.0 * 1024 / limit;
            Verdict v = verdict(min, max, target, true);
            count(v);
            rows.add(0, new String[] {"10 MiB + 1 body, no Content-Length (413): allocated / limit",
                    String.format(Locale.ROOT, "%.3fx (%.3f – %.3f over %d forks; %s per refused delivery, %s)",
                            median(streamed) / limit, min, max, streamed.size(), bytes(median(streamed)),
                            time(median(perFork("OversizeBench.streamed", BenchmarkReport::forkScore)))),
                    "<= 1.1x + 64 KiB", verdictText(v)});
        }
        List<Double> declared = perFork("OversizeBench.declared", b -> secondary(b, "gc.alloc.rate.norm"));
        if (!declared.isEmpty()) {
            Verdict v = verdict(Collections.min(declared), Collections.max(declared), 4096, true);
            count(v);
            rows.add(streamed.isEmpty() ? 0 : 1, new String[] {"10 MiB + 1 body, Content-Length declared (413): allocated",
                    bytes(median(declared)) + " per refused delivery (" + bytes(Collections.min(declared)) + " – "
                            + bytes(Collections.max(declared)) + " over " + declared.size() + " forks)",
                    "~0 (<= 4 KiB)", verdictText(v)});
        }
    }

    private static double nanos(Result<?> r) {
        String unit = r.getScoreUnit();
        double f = unit.startsWith("ns") ? 1 : unit.startsWith("us") ? 1e3 : unit.startsWith("ms") ? 1e6 : 1e9;
        return r.getScore() * f;
    }

    private void row(String check, String measured, String target, boolean ok) {
        Verdict v = ok ? Verdict.PASS : Verdict.FAIL;
        count(v);
        rows.add(new String[] {check, measured, target, v.text()});
    }

    /** Nanoseconds as ns, µs or ms. */
    private static String time(double ns) {
        if (Double.isNaN(ns)) {
            return "?";
        }
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (ns >= 1e3) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", ns);
    }

    private static String cores(double c) {
        return Double.isNaN(c) ? "?" : String.format(Locale.ROOT, "%.2f cores", c);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "?";
        }
        if (b >= MIB) {
            return String.format(Locale.ROOT, "%.2f MiB", b / MIB);
        }
        if (b >= 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hostile bodies, outside JMH: one run each, on a thread with a small stack.

    /**
     * 100 MiB of nested arrays, bare ({@code [[[[...}) and inside an object ({@code {"log":[[[[...}, which gets past
     * the "not an object" check into the parser's nesting limit): 413 under the default limit; under a 128 MiB limit,
     * 400, and no StackOverflowError whatever the nesting.
     */
    private void hostileBodies() throws Exception {
        byte[] bare = new byte[(int) (100 * MIB)];
        Arrays.fill(bare, (byte) '[');
        byte[] inObject = bare.clone();
        byte[] head = "{\"log\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, inObject, 0, head.length);
        List<VerificationKey> keys = List.of(VerificationKey.sharedKey("k", Bodies.SHARED_KEY, true));
        DeliverySettings defaults = DeliverySettings.defaults();
        DeliverySettings large = defaults.withMaxBodyBytes(128 * MIB);
        for (byte[] body : List.of(bare, inObject)) {
            String what = "100 MiB of " + (body == bare ? "'['" : "'{\"log\":[[[...'");
            String signature = SignatureVerifier.sign(Bodies.SHARED_KEY, body);
            hostile(what + ", default limit, Content-Length declared", 413, () -> request(body, signature, true),
                    defaults, keys);
            hostile(what + ", default limit, no Content-Length", 413, () -> request(body, signature, false),
                    defaults, keys);
            hostile(what + ", 128 MiB limit, signed, Content-Length declared", 400,
                    () -> request(body, signature, true), large, keys);
            hostile(what + ", 128 MiB limit, unsigned accepted, no Content-Length", 400,
                    () -> request(body, null, false), large.withAcceptUnsigned(true), keys);
        }
    }

    private static DeliveryRequest request(byte[] body, String signature, boolean declared) {
        DeliveryRequest.Builder b = DeliveryRequest.builder().header("Content-Type", "application/json")
                .body(new ServletLikeInputStream(body));
        if (signature != null) {
            b.header(SignatureVerifier.SIGNATURE_HEADER, signature);
        }
        if (declared) {
            b.contentLength(body.length);
        }
        return b.build();
    }

    private void hostile(String name, int expected, java.util.function.Supplier<DeliveryRequest> request,
            DeliverySettings settings, List<VerificationKey> keys) throws InterruptedException {
        Object[] result = new Object[3];
        // 256 KiB of stack: far less than a servlet thread has; a recursive parser would overflow it quickly.
        Thread t = new Thread(null, () -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            DeliveryRequest r = request.get();
            long before = mx.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            try {
                Outcome o = new DeliveryService(new TriggerIndex()).decide(r, settings, keys);
                result[0] = o;
            } catch (Throwable e) {
                result[0] = e;
            }
            result[1] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            result[2] = mx.getCurrentThreadAllocatedBytes() - before;
        }, "hostile-body", 256 * 1024);
        t.start();
        t.join();
        String measured;
        boolean ok;
        if (result[0] instanceof Outcome o) {
            measured = o.status() + " \"" + o.body() + "\" in " + result[1] + " ms, " + bytes(((Long) result[2]))
                    + " allocated";
            ok = o.status() == expected;
        } else {
            measured = "threw " + result[0];
            ok = false;
        }
        row(name, measured, expected + ", no StackOverflowError", ok);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** /proc/loadavg's first three fields, or "?". */
    static String load() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (Exception e) {
            return 0;
        }
    }

    static String machine() {
        String cpu = "?";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + ", Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                + "), report JVM max heap " + Runtime.getRuntime().maxMemory() / MIB + " MiB";
    }
}
