package io.jenkins.plugins.platformsh.pipeline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityRecord;
import io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code platformshActivity()}: the activity that started this build, as a Map (see ActivityView), including the
 * redacted payload. Named apart from the trigger's symbol {@code platformsh}, which Declarative would otherwise
 * confuse with it.
 */
public class PlatformshActivityStep extends Step {

    static final String FUNCTION_NAME = "platformshActivity";

    @DataBoundConstructor
    public PlatformshActivityStep() {}

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context);
    }

    /** Reads an action already stored with the build (at most 256 KiB of JSON): quick, so it may run on the CPS thread. */
    static class Execution extends SynchronousStepExecution<Map<String, Object>> {

        private static final long serialVersionUID = 1L;

        Execution(@NonNull StepContext context) {
            super(context);
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            PlatformshDeliveryAction action = run == null ? null : run.getAction(PlatformshDeliveryAction.class);
            if (action == null) {
                throw new AbortException(FUNCTION_NAME + "(): this build was not started by a Platform.sh delivery. "
                        + "Call it only in builds started by the platformsh trigger, for example behind "
                        + "when { triggeredBy 'PlatformshCause' }.");
            }
            Map<String, Object> activity = action.getActivity();
            String note = ActivityRecord.note(activity);
            if (note != null) {
                getContext().get(TaskListener.class).getLogger().println(note);
            }
            return activity;
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        /**
         * The id this step had before it moved into this package. A Pipeline build's flow nodes record the step by
         * its descriptor's id, so builds that ran it before the move still show it as this step.
         */
        @Override
        public String getId() {
            return "io.jenkins.plugins.platformsh.PlatformshActivityStep";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "The Platform.sh activity that started this build";
        }
    }
}
