package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 22: what the pages need of a log of 200 deliveries among 1,000 or 10,000 triggers ({@link LogScale}), after
 * the state writer settled it (summaries computed once, off the request path). {@link #oldPageOneEntry} is what the
 * former page built for each of the 200 entries (every job's result): the page did it 200 times.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LogScaleBench {

    @State(Scope.Benchmark)
    public static class Log {
        @Param({"1000", "10000"})
        public int jobs;

        @Param({"none", "mix"})
        public String flow;

        LogScale scale;
        DeliveryLog.Entry middle;
        String someJob;

        @Setup(Level.Trial)
        public void setUp() {
            scale = new LogScale(jobs, flow);
            scale.log.settleBodies(); // what the state writer does before it writes
            List<DeliveryLog.Entry> all = scale.log.newestFirst();
            middle = all.get(all.size() / 2);
            someJob = LogScale.jobName(LogScale.PER_PROJECT + 1);
        }
    }

    @Benchmark
    public long deliveriesPage(Log l) {
        return LogScale.deliveriesPage(l.scale.log);
    }

    @Benchmark
    public MatchResult.JobPage deliveryPageFirst50(Log l) {
        return l.middle.jobs(null, 0, 50);
    }

    @Benchmark
    public MatchResult.JobPage deliveryPageFiltered(Log l) {
        return l.middle.jobs("/ENV-7", 0, 50);
    }

    @Benchmark
    public List<DeliveryLog.JobDelivery> jobHistory50(Log l) {
        return l.scale.log.forTarget(l.someJob, 50);
    }

    @Benchmark
    public List<MatchResult.TargetResult> oldPageOneEntry(Log l) {
        return LogScale.everyJob(l.middle);
    }

    @Benchmark
    public byte[] stateFile(Log l) {
        return StateFormat.logToJson(l.scale.log);
    }
}
