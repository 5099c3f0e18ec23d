package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.Outcome;
import io.jenkins.plugins.platformsh.delivery.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.VerificationKey;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of this package in one go (JMH, gc profiler on), then prints the ratios the
 * performance targets are stated in, with pass or fail, and checks hostile bodies outside JMH.
 *
 * <pre>
 *   mvn -B -f .ci/pom.xml -Pbenchmarks package -Dmaven.test.skip=true
 *   java -jar .ci/target/benchmarks.jar                 # the whole report, about 4 minutes on 2 cores
 *   java -jar .ci/target/benchmarks.jar --hostile-only  # only the hostile-body checks, seconds
 * </pre>
 *
 * System properties, to override what each benchmark class declares: {@code bench.warmup} and
 * {@code bench.iterations} (numbers of iterations), {@code bench.seconds} (per iteration), {@code bench.forks}; and
 * {@code bench.include} (a regular expression restricting the benchmarks run), {@code bench.sample} (a body template,
 * see {@link Bodies}), {@code bench.result} (where JMH writes its JSON results).
 *
 * <p>The exit status is 0 when every target is met, 1 otherwise; nothing else depends on it (no unit test times
 * anything).
 */
public final class BenchmarkReport {

    private static final long MIB = 1024L * 1024;

    private final Map<String, RunResult> results = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> ratioRows = new ArrayList<>();
    private boolean allPassed = true;

    private BenchmarkReport() {}

    public static void main(String[] args) throws Exception {
        BenchmarkReport report = new BenchmarkReport();
        List<String> flags = Arrays.asList(args);
        boolean hostileOnly = flags.contains("--hostile-only");
        boolean anatomy = flags.contains("--anatomy");
        String before = load();
        if (!hostileOnly) {
            report.runJmh(anatomy ? "\\.AnatomyBench\\." : "\\.(DeliveryBench|MatchBench|OversizeBench)\\.");
        }
        if (!anatomy) {
            report.hostileBodies();
        }
        System.out.println();
        System.out.println(machine());
        System.out.println("load average (1, 5, 15 min) before: " + before + ", after: " + load()
                + String.format(Locale.ROOT, ", mean 1-min load during the JMH run: %.2f", report.meanLoad)
                + (report.busy ? "  WARNING: other processes competed for the two cores: the means are noisy, trust the best iterations" : ""));
        report.print(hostileOnly);
        System.exit(report.allPassed ? 0 : 1);
    }

    private boolean busy;
    private double meanLoad = Double.NaN;

    private void runJmh(String defaultInclude) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(System.getProperty("bench.include", defaultInclude))
                .jvmArgsAppend("-Xms2g", "-Xmx2g")
                .addProfiler(GCProfiler.class)
                .addProfiler(CpuTimeProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(resultFile());
        // Iterations and forks are each benchmark class's own (@Warmup, @Measurement, @Fork) unless overridden here.
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
        if (Integer.getInteger("bench.forks") != null) {
            options.forks(Integer.getInteger("bench.forks"));
        }
        if (System.getProperty("bench.sample") != null) {
            options.jvmArgsAppend("-Dbench.sample=" + System.getProperty("bench.sample"));
        }
        // The run keeps one core busy (the benchmark thread); a 1-minute load average well above 1 means that other
        // processes competed for the two cores and the timings are not to be trusted.
        double[] samples = new double[2]; // sum, count
        Thread sampler = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(5000);
                    samples[0] += loadAverage();
                    samples[1]++;
                }
            } catch (InterruptedException e) {
                // run over
            }
        }, "load-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Collection<RunResult> run = new Runner(options.build()).run();
        sampler.interrupt();
        sampler.join();
        meanLoad = samples[1] == 0 ? loadAverage() : samples[0] / samples[1];
        busy = meanLoad > 1.5;
        for (RunResult r : run) {
            results.put(key(r.getParams()), r);
        }
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
    private static String key(BenchmarkParams p) {
        String b = p.getBenchmark();
        String[] parts = b.split("\\.");
        StringBuilder sb = new StringBuilder(parts[parts.length - 2]).append('.').append(parts[parts.length - 1]);
        List<String> keys = new ArrayList<>(p.getParamsKeys());
        if (!keys.isEmpty()) {
            sb.append('[');
            for (int i = 0; i < keys.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(keys.get(i)).append('=').append(p.getParam(keys.get(i)));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ratios

    private void print(boolean hostileOnly) {
        System.out.println();
        System.out.println("## Platform.sh Webhook: performance report");
        System.out.println();
        if (!hostileOnly) {
            printScores();
            System.out.println();
            ratios();
            if (!ratioRows.isEmpty()) {
                System.out.println("Verdicts on the ratio of the fastest measurement iterations (wall clock); the ratio of "
                        + "the means (± from JMH's 99.9% intervals) and of the CPU time per op are shown beside it.");
                System.out.println();
                System.out.println("| check | best iterations | means | CPU time | target | verdict |");
                System.out.println("|---|---|---|---|---|---|");
                for (String[] r : ratioRows) {
                    System.out.println("| " + String.join(" | ", r) + " |");
                }
                System.out.println();
            }
        }
        if (rows.isEmpty() && ratioRows.isEmpty()) {
            return; // --anatomy: scores only, no target
        }
        if (!rows.isEmpty()) {
            System.out.println("| check | measured | target | verdict |");
            System.out.println("|---|---|---|---|");
            for (String[] r : rows) {
                System.out.println("| " + String.join(" | ", r) + " |");
            }
            System.out.println();
        }
        System.out.println(allPassed ? "ALL TARGETS MET" : "SOME TARGETS MISSED (see FAIL rows)");
    }

    private void printScores() {
        System.out.println("| benchmark | best iteration | mean ± 99.9% CI | CPU time per op | CPU used | allocated per op |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, RunResult> e : results.entrySet()) {
            Result<?> r = e.getValue().getPrimaryResult();
            System.out.printf(Locale.ROOT, "| %s | %s | %s ± %s %s | %s | %s | %s |%n", e.getKey(), time(best(e.getValue())),
                    num(r.getScore()), num(r.getScoreError()), r.getScoreUnit(), time(secondary(e.getKey(), "cpu.time.norm")),
                    cores(secondary(e.getKey(), "cpu.util")), bytes(secondary(e.getKey(), "gc.alloc.rate.norm")));
        }
    }

    private void ratios() {
        for (String body : List.of("push-14k", "log-2m")) {
            String ours = "DeliveryBench.ours[body=" + body + "]";
            String floor = "DeliveryBench.floor[body=" + body + "]";
            String generic = "DeliveryBench.generic[body=" + body + "]";
            String gwt = "DeliveryBench.gwtLiteral[body=" + body + "]";
            ratio("ours / floor, " + body, ours, floor, 1.5, true);
            ratio("(info) ours / floor including reading the body once, " + body, ours,
                    "DeliveryBench.floorWithRead[body=" + body + "]", 0, true);
            ratio("generic / ours, " + body, generic, ours, body.equals("push-14k") ? 2.0 : 1.5, false);
            ratio("(info) generic / floor including reading the body once: the most any endpoint can beat it by, " + body,
                    generic, "DeliveryBench.floorWithRead[body=" + body + "]", 0, false);
            ratio("(info) generic-webhook-trigger as written / ours, " + body, gwt, ours, 0, false);
            ratio("(info) ours + redacted copy for the queued build / floor, " + body,
                    "DeliveryBench.oursQueued[body=" + body + "]", floor, 0, true);
        }
        ratio("match, 10,000 / 10 triggers over 200 projects", "MatchBench.match[triggers=10000]",
                "MatchBench.match[triggers=10]", 1.2, true);
        ratio("match, 1,000 multibranch projects of 50 branch jobs (51,000 triggers) / 10 triggers",
                "MatchBench.matchMultibranch[projects=1000]", "MatchBench.match[triggers=10]", 1.2, true);
        ratio("match, 1,000 / 1 multibranch project of 50 branch jobs (51,000 / 51 triggers, same layout)",
                "MatchBench.matchMultibranch[projects=1000]", "MatchBench.matchMultibranch[projects=1]", 1.2, true);
        ratio("(info) match, worst case: 10,000 / 10 triggers all for the delivery's environment (linear)",
                "MatchBench.matchSameTarget[triggers=10000]", "MatchBench.matchSameTarget[triggers=10]", 0, true);
        ratio("(info) scan of every trigger (no index) / index, 10,000 triggers",
                "MatchBench.scanAll[triggers=10000]", "MatchBench.match[triggers=10000]", 0, false);

        double streamed = secondary("OversizeBench.streamed", "gc.alloc.rate.norm");
        if (!Double.isNaN(streamed)) {
            double limit = DeliverySettings.DEFAULT_MAX_BODY_BYTES;
            boolean ok = streamed <= 1.1 * limit + 64 * 1024;
            row("10 MiB + 1 body, no Content-Length (413): allocated / limit", String.format(Locale.ROOT,
                    "%.2fx (%s per refused delivery, %s)", streamed / limit, bytes(streamed),
                    time(1000 * results.get("OversizeBench.streamed").getPrimaryResult().getScore())),
                    "<= 1.1x + 64 KiB", ok);
        }
        double declared = secondary("OversizeBench.declared", "gc.alloc.rate.norm");
        if (!Double.isNaN(declared)) {
            row("10 MiB + 1 body, Content-Length declared (413): allocated", bytes(declared) + " per refused delivery",
                    "~0 (<= 4 KiB)", declared <= 4096);
        }
    }

    private void ratio(String name, String numerator, String denominator, double target, boolean atMost) {
        RunResult n = results.get(numerator);
        RunResult d = results.get(denominator);
        if (n == null || d == null) {
            return;
        }
        double best = best(n) / best(d);
        Result<?> a = n.getPrimaryResult();
        Result<?> b = d.getPrimaryResult();
        double mean = a.getScore() / b.getScore();
        // Relative errors add (to first order) for a quotient; JMH's error is the 99.9% confidence half-width.
        double rel = err(a) + err(b);
        String bestText = String.format(Locale.ROOT, "**%.2fx** (%s / %s)", best, time(best(n)), time(best(d)));
        String meanText = String.format(Locale.ROOT, "%.2fx ± %.2f", mean, mean * rel);
        double cpu = secondary(numerator, "cpu.time.norm") / secondary(denominator, "cpu.time.norm");
        String cpuText = Double.isNaN(cpu) ? "?" : String.format(Locale.ROOT, "%.2fx", cpu);
        String verdict;
        if (target == 0) {
            verdict = "info";
        } else {
            boolean ok = atMost ? best <= target : best >= target;
            allPassed &= ok;
            verdict = ok ? "PASS" : "FAIL";
        }
        ratioRows.add(new String[] {name, bestText, meanText, cpuText,
                target == 0 ? "-" : (atMost ? "<= " : ">= ") + target + "x", verdict});
    }

    /** The fastest measurement iteration, in ns: other processes can only ever add time to an iteration. */
    private static double best(RunResult r) {
        double min = Double.POSITIVE_INFINITY;
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                min = Math.min(min, nanos(i.getPrimaryResult()));
            }
        }
        return min;
    }

    private static double nanos(Result<?> r) {
        String unit = r.getScoreUnit();
        double f = unit.startsWith("ns") ? 1 : unit.startsWith("us") ? 1e3 : unit.startsWith("ms") ? 1e6 : 1e9;
        return r.getScore() * f;
    }

    private static double err(Result<?> r) {
        double e = r.getScoreError();
        return Double.isNaN(e) ? 0 : e / r.getScore();
    }

    private double secondary(String key, String label) {
        RunResult r = results.get(key);
        if (r == null) {
            return Double.NaN;
        }
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(label)) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    private void row(String check, String measured, String target, Boolean ok) {
        if (ok != null && !ok) {
            allPassed = false;
        }
        rows.add(new String[] {check, measured, target, ok == null ? "info" : ok ? "PASS" : "FAIL"});
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
