package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 22, what JMH does not measure: the heap a log of 200 deliveries retains, the size of the state file, and the
 * one-off cost of the summaries (cold: what the state writer pays once per new delivery).
 *
 * <p>Heap: the used heap after {@code System.gc()} (three times, with pauses; run with {@code -XX:+UseSerialGC} so
 * that each is a full collection), with the triggers indexed and their snapshot built, before the 200 deliveries and
 * after them with their summaries computed and a job's history asked for (which builds the job list's name map): the difference is what the log retains. The former layout is measured
 * the same way, by holding every job's result of every entry (what the cached {@code results()} held).
 *
 * <p>Run: {@code java -XX:+UseSerialGC -Xmx3g -cp .ci/target/benchmarks.jar
 * io.jenkins.plugins.platformsh.delivery.bench.LogScaleMeasure}
 */
public final class LogScaleMeasure {

    public static void main(String[] args) throws Exception {
        System.out.println("jobs,flow,log_heap_bytes,old_results_heap_bytes,state_bytes,summaries_cold_ms,"
                + "deliveries_page_warm_ms,entries_live");
        for (int jobs : new int[] {1000, 10_000}) {
            for (String flow : new String[] {"none", "mix", "churn"}) {
                measure(jobs, flow);
            }
        }
    }

    private static void measure(int jobs, String flow) throws Exception {
        // Cold cost of the 200 summaries: median of 5 fresh logs.
        List<Double> cold = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            LogScale s = new LogScale(jobs, flow);
            long t0 = System.nanoTime();
            for (DeliveryLog.Entry e : s.log.newestFirst()) {
                e.summary();
            }
            cold.add((System.nanoTime() - t0) / 1e6);
        }
        cold.sort(null);

        LogScale full = new LogScale(jobs);
        long before = used();
        full.deliver(flow);
        full.log.settleBodies();
        LogScale.deliveriesPage(full.log);
        full.log.forTarget(LogScale.jobName(1), 50); // builds the job list's name map, kept with it
        long after = used();
        long logHeap = after - before;

        List<List<MatchResult.TargetResult>> old = new ArrayList<>();
        for (DeliveryLog.Entry e : full.log.newestFirst()) {
            old.add(LogScale.everyJob(e));
        }
        long oldHeap = used() - after;

        for (int r = 0; r < 20; r++) {
            LogScale.deliveriesPage(full.log); // warm-up
        }
        long t0 = System.nanoTime();
        for (int r = 0; r < 20; r++) {
            LogScale.deliveriesPage(full.log);
        }
        double warm = (System.nanoTime() - t0) / 1e6 / 20;
        byte[] file = StateFormat.logToJson(full.log);
        int live = 0;
        for (DeliveryLog.Entry e : full.log.newestFirst()) {
            live += e.live() ? 1 : 0;
        }
        System.out.printf(
                "%d,%s,%d,%d,%d,%.1f,%.2f,%d%n",
                jobs, flow, logHeap, oldHeap, file.length, cold.get(2), warm, live);
        if (old.size() != LogScale.DELIVERIES) {
            throw new IllegalStateException();
        }
    }

    static long used() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
