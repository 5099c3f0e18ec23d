package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The journal's cost per delivery as a paired measurement, for a machine too busy for {@link JournalBench}'s
 * separate forks to be compared: in one JVM, batches of {@code decide} without and with the journal alternate, so that
 * a change of the machine's load hits both sides of each pair alike; the median of the per-pair ratios is reported,
 * with its quartiles. Also the append alone: {@code Deduplicator.firstTime} with and without the journal, paired the
 * same way, as the microseconds it adds.
 *
 * <p>Run: {@code java -cp .ci/target/benchmarks.jar io.jenkins.plugins.platformsh.delivery.bench.JournalCost}.
 */
public final class JournalCost {

    private JournalCost() {}

    public static void main(String[] args) throws Exception {
        JournalBench.Plain plain = new JournalBench.Plain();
        plain.setUp();
        JournalBench.Journaled journaled = new JournalBench.Journaled();
        journaled.setUp();
        int batch = 200;
        for (int i = 0; i < 60; i++) { // warm-up, both sides
            run(plain, batch);
            run(journaled, batch);
            journaled.store.flush();
        }
        List<Double> ratios = new ArrayList<>();
        double[] plainUs = new double[40];
        double[] journalUs = new double[40];
        for (int round = 0; round < 40; round++) {
            boolean plainFirst = round % 2 == 0; // alternate the order too
            long a = plainFirst ? run(plain, batch) : 0;
            long b = run(journaled, batch);
            if (!plainFirst) {
                a = run(plain, batch);
            }
            journaled.store.flush(); // the writer's pass, outside the timed batches
            plainUs[round] = a / 1000.0 / batch;
            journalUs[round] = b / 1000.0 / batch;
            ratios.add((double) b / a);
        }
        System.out.printf(
                "decide, 14 KB push: without journal median %.1f us, with %.1f us; with/without per pair: median %.3fx"
                        + " (quartiles %.3f - %.3f), %d pairs of %d deliveries%n",
                median(plainUs),
                median(journalUs),
                quantile(ratios, 0.5),
                quantile(ratios, 0.25),
                quantile(ratios, 0.75),
                ratios.size(),
                batch);

        // The append alone: a Deduplicator with and without a store's journal, fresh keys each time.
        Path dir = Files.createTempDirectory("journal-cost");
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            Deduplicator bare = new Deduplicator(1000);
            Deduplicator withJournal = new Deduplicator(1000);
            StateStore store = new StateStore(dir, withJournal, new DeliveryLog(), writer, 3600);
            store.loadOnce();
            List<String> shares = List.of("global:platformsh-shared-key");
            int n = 20_000;
            int[] next = {0};
            double[] delta = new double[60];
            double[] bareNs = new double[60];
            for (int round = -20; round < 60; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    bare.firstTime(DedupeKey.of("k" + next[0]++, shares));
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    withJournal.firstTime(DedupeKey.of("k" + next[0]++, shares));
                }
                long t2 = System.nanoTime();
                if (round >= 0) {
                    bareNs[round] = (t1 - t0) / (double) n;
                    delta[round] = ((t2 - t1) - (t1 - t0)) / (double) n;
                }
                store.flush();
            }
            System.out.printf(
                    "Deduplicator.firstTime: %.2f us without, +%.2f us with the journal's append (median of 60 pairs"
                            + " of %d; %d bytes appended in all)%n",
                    median(bareNs) / 1000, median(delta) / 1000, n, store.journalBytesAppended());
        } finally {
            writer.shutdownNow();
            journaled.remove();
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long run(JournalBench.Plain d, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            JournalBench.decide(d);
        }
        return System.nanoTime() - t0;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double quantile(List<Double> xs, double q) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get((int) Math.min(s.size() - 1, Math.round(q * (s.size() - 1))));
    }
}
