package io.jenkins.plugins.platformsh.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.AbstractBuild;
import hudson.model.Action;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.platformsh.delivery.log.BuildSummary;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build carries from the delivery that started it: the PLATFORMSH_* variables, contributed to the build's
 * environment (so no job needs to declare parameters, and nothing goes through ParametersAction's SECURITY-170
 * filter), and the activity as the {@code platformshActivity()} step returns it, with the redacted payload, kept as
 * one compact bounded string ({@link ActivityRecord}) and read back only when the step asks.
 *
 * <p>As a {@link Queue.QueueAction} it always asks for its own queue item, so two deliveries never fold into one
 * build. "Latest per environment" is done by {@link PlatformshScheduler} cancelling the older queued item instead.
 */
public class PlatformshDeliveryAction implements EnvironmentContributingAction, Queue.QueueAction {

    private final String deliveryId;
    private final String coalesceKey;
    /** {@link ActivityRecord#encoded()}: the step's fields, the variables and the redacted payload, compressed. */
    private String record;
    /** The variables, read from the record once per load: the environment is asked for often. */
    private transient volatile Map<String, String> variablesRead;
    /**
     * How builds queued by earlier versions kept the activity: the variables and the step's whole map, nested, in
     * build.xml. Only ever read from an old build.xml or queue.xml, and turned into {@link #record} there.
     */
    @Deprecated
    private LinkedHashMap<String, String> variables;

    @Deprecated
    private LinkedHashMap<String, Object> activity;

    public PlatformshDeliveryAction(String deliveryId, String coalesceKey, ActivityRecord record) {
        this.deliveryId = deliveryId;
        this.coalesceKey = coalesceKey;
        this.record = record.encoded();
    }

    @SuppressWarnings("deprecation")
    private Object readResolve() {
        if (record == null) {
            Map<String, Object> old = activity == null ? new LinkedHashMap<>() : new LinkedHashMap<>(activity);
            if (variables != null) {
                old.put("variables", variables);
            }
            record = ActivityRecord.fromView(old).encoded();
        }
        variables = null; // the next save of the build writes the compact form only
        activity = null;
        return this;
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        boolean resolvedLater = run instanceof AbstractBuild;
        getVariables().forEach((name, value) -> {
            if (value != null) {
                // Freestyle builds expand $VAR references in environment values afterwards (EnvVars.resolve):
                // "$$" keeps a dollar from the payload literal.
                env.put(name, resolvedLater ? value.replace("$", "$$") : value);
            }
        });
    }

    @Override
    public boolean shouldSchedule(List<Action> actions) {
        return true;
    }

    public String getDeliveryId() {
        return deliveryId;
    }

    public String getCoalesceKey() {
        return coalesceKey;
    }

    public Map<String, String> getVariables() {
        Map<String, String> v = variablesRead;
        if (v == null) {
            v = Collections.unmodifiableMap(ActivityRecord.variables(record));
            variablesRead = v;
        }
        return v;
    }

    /**
     * The step's value, parsed from the record on each call: a fresh copy, so a script changing it changes nothing
     * stored with the build. See {@link ActivityRecord#note} for what it says when something was left out.
     */
    public Map<String, Object> getActivity() {
        return ActivityRecord.view(record);
    }

    /** What the build page shows (summary.jelly): project, activity, commit, URL. */
    public BuildSummary getSummary() {
        return BuildSummary.of(getVariables());
    }

    /**
     * The HTML id of this build's delivery on the deliveries page, while the page still shows it (the log is bounded
     * and in memory); else null. The page itself is for administrators: summary.jelly shows the link to them only.
     */
    @CheckForNull
    public String getDeliveryAnchor() {
        DeliveryLog.Entry e = PlatformshTriggers.get().service().log().get(deliveryId);
        return getSummary().isShownBy(e) ? DeliveryLabels.anchor(deliveryId) : null;
    }

    /** Not in the sidebar: the build page shows it as a summary (summary.jelly). */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Platform.sh delivery";
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
