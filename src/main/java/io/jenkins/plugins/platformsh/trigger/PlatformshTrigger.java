package io.jenkins.plugins.platformsh.trigger;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.triggers.Trigger;
import hudson.triggers.TriggerDescriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.platformsh.config.PlatformshForms;
import io.jenkins.plugins.platformsh.config.SecretTexts;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.FilterException;
import io.jenkins.plugins.platformsh.delivery.match.FilterValidation;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.ObjectStreamException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Builds a freestyle or Pipeline job when a Platform.sh activity matching its filters arrives. The filters
 * themselves are a {@link TriggerSpec}; this class only stores the configured text and keeps the trigger index
 * current as Jenkins starts and stops the trigger.
 *
 * <p>The same trigger, with the same symbol, also goes on a multibranch project (see {@link PlatformshTargetSupport}):
 * one descriptor, so that {@code platformsh} means one thing in Declarative, Job DSL and JCasC. Inside a branch job
 * it listens to the branch's own environment unless it names environments.
 */
public class PlatformshTrigger extends Trigger<Item> {

    private static final Logger LOGGER = Logger.getLogger(PlatformshTrigger.class.getName());

    private String events = TriggerSpec.DEFAULT_EVENTS;
    private String states = TriggerSpec.DEFAULT_STATES;
    private String results = "";
    private String projects = "";
    private String environments = "";
    private String excludedEnvironments = "";
    /** The job's own shared key: checked against the signature only, never accepted as a token. */
    private String credentialsId = "";
    /** The job's own token, compared with {@code ?token=}; absent (null until readResolve) in an older config.xml. */
    private String tokenCredentialsId = "";

    private String coalesce = Coalesce.EVERY_DELIVERY.name();

    @DataBoundConstructor
    public PlatformshTrigger() {
        super();
    }

    @Override
    public void start(Item job, boolean newInstance) {
        super.start(job, newInstance);
        try {
            PlatformshTriggers.get()
                    .register(
                            job.getFullName(),
                            this,
                            toSpec(
                                    job instanceof Job<?, ?> j
                                            ? PlatformshTargetSupport.ownEnvironmentsOf(j)
                                            : List.of()));
        } catch (FilterException e) {
            // Invalid text saved outside the form (XML, script): the job is simply not triggered, and says why.
            PlatformshTriggers.get().unregister(this);
            LOGGER.log(Level.WARNING, "Platform.sh trigger of {0} is not active: {1}", new Object[] {
                job.getFullName(), e.getMessage()
            });
        }
    }

    @Override
    public void stop() {
        // WorkflowJob stops and restarts triggers on every save, possibly after the new instance started: only this
        // instance's own registration is removed.
        PlatformshTriggers.get().unregister(this);
        super.stop();
    }

    /** The filters as the delivery package understands them. */
    public TriggerSpec toSpec() {
        return toSpec(List.of());
    }

    /**
     * The same, for a branch job listening to {@code ownEnvironments} unless its trigger names environments. The
     * setters and the form cap each list's length; a config.xml saved before the caps may hold longer ones, and
     * still loads ({@link TriggerSpec.Builder#uncapped()}).
     */
    TriggerSpec toSpec(List<String> ownEnvironments) {
        return TriggerSpec.builder()
                .uncapped()
                .events(events)
                .states(states)
                .results(results)
                .projects(projects)
                .environments(environments)
                .excludedEnvironments(excludedEnvironments)
                .credentialsId(Util.fixEmptyAndTrim(credentialsId))
                .tokenCredentialsId(Util.fixEmptyAndTrim(tokenCredentialsId))
                .coalesce(Coalesce.of(coalesce))
                .branchEnvironments(ownEnvironments)
                .build();
    }

    /**
     * Fields missing from an older config.xml get their defaults rather than null. An older trigger's
     * {@code credentialsId} was accepted both as a shared key and as a token; read now, it is the shared key only
     * (the safe reading): a sender that used that secret as {@code ?token=} is refused until the job names it as
     * its token.
     */
    @Override
    protected Object readResolve() throws ObjectStreamException {
        super.readResolve();
        if (events == null) {
            events = TriggerSpec.DEFAULT_EVENTS;
        }
        if (states == null) {
            states = TriggerSpec.DEFAULT_STATES;
        }
        results = Util.fixNull(results);
        projects = Util.fixNull(projects);
        environments = Util.fixNull(environments);
        excludedEnvironments = Util.fixNull(excludedEnvironments);
        credentialsId = Util.fixNull(credentialsId);
        tokenCredentialsId = Util.fixNull(tokenCredentialsId);
        if (coalesce == null) {
            coalesce = Coalesce.EVERY_DELIVERY.name();
        }
        return this;
    }

    public String getEvents() {
        return events;
    }

    @DataBoundSetter
    public void setEvents(String events) {
        this.events = events == null ? TriggerSpec.DEFAULT_EVENTS : valid("events", events, FilterValidation::events);
    }

    public String getStates() {
        return states;
    }

    @DataBoundSetter
    public void setStates(String states) {
        this.states = states == null ? TriggerSpec.DEFAULT_STATES : valid("states", states, FilterValidation::states);
    }

    public String getResults() {
        return results;
    }

    @DataBoundSetter
    public void setResults(String results) {
        this.results = valid("results", Util.fixNull(results), FilterValidation::results);
    }

    public String getProjects() {
        return projects;
    }

    @DataBoundSetter
    public void setProjects(String projects) {
        this.projects = valid("projects", Util.fixNull(projects), FilterValidation::projects);
    }

    public String getEnvironments() {
        return environments;
    }

    @DataBoundSetter
    public void setEnvironments(String environments) {
        this.environments = valid("environments", Util.fixNull(environments), FilterValidation::environments);
    }

    public String getExcludedEnvironments() {
        return excludedEnvironments;
    }

    @DataBoundSetter
    public void setExcludedEnvironments(String excludedEnvironments) {
        this.excludedEnvironments =
                valid("excludedEnvironments", Util.fixNull(excludedEnvironments), FilterValidation::environments);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = oneRole(Util.fixNull(credentialsId).trim(), tokenCredentialsId, "credentialsId");
    }

    /** The Secret text compared with {@code ?token=} for this job; empty for none. */
    public String getTokenCredentialsId() {
        return tokenCredentialsId;
    }

    @DataBoundSetter
    public void setTokenCredentialsId(String tokenCredentialsId) {
        this.tokenCredentialsId = oneRole(Util.fixNull(tokenCredentialsId).trim(), credentialsId, "tokenCredentialsId");
    }

    /**
     * The id, unless the other role already names it: whichever of the two setters runs second fails, so Pipeline,
     * Job DSL and configuration as code say so instead of saving a trigger that is never started.
     */
    private static String oneRole(String id, String other, String field) {
        Validation v = PlatformshForms.oneRole(id, other);
        if (v.isError()) {
            throw new IllegalArgumentException(field + ": " + v.message());
        }
        return id;
    }

    public String getCoalesce() {
        return coalesce;
    }

    /** The name of a {@link Coalesce} constant; an unknown name fails here, with the list of valid ones. */
    @DataBoundSetter
    public void setCoalesce(String coalesce) {
        this.coalesce = Coalesce.of(coalesce).name();
    }

    /**
     * The text, trimmed, if it can be valid. Pipeline ({@code triggers { platformsh(states: 'done') }}) and
     * configuration as code then fail with the same message as the form, instead of saving a trigger that never fires.
     */
    private static String valid(String field, String text, Function<String, Validation> rule) {
        Validation v = rule.apply(text);
        if (v.isError()) {
            throw new IllegalArgumentException(field + ": " + v.message());
        }
        return text.trim();
    }

    @Extension
    @Symbol("platformsh")
    public static class DescriptorImpl extends TriggerDescriptor {

        @Override
        public boolean isApplicable(Item item) {
            return item instanceof ParameterizedJobMixIn.ParameterizedJob || PlatformshTargetSupport.anyTarget(item);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Build when Platform.sh reports an activity";
        }

        /** The form refuses what the setters would refuse, as a form error on the field rather than a stack trace. */
        @Override
        public Trigger<?> newInstance(@CheckForNull StaplerRequest2 req, @NonNull JSONObject formData)
                throws FormException {
            for (Map.Entry<String, Function<String, Validation>> rule : RULES.entrySet()) {
                if (formData.has(rule.getKey())) {
                    Validation v = rule.getValue().apply(formData.optString(rule.getKey()));
                    if (v.isError()) {
                        throw new FormException(v.message(), rule.getKey());
                    }
                }
            }
            Validation roles = PlatformshForms.oneRole(
                    formData.optString("credentialsId"), formData.optString("tokenCredentialsId"));
            if (roles.isError()) {
                throw new FormException(roles.message(), "tokenCredentialsId");
            }
            return super.newInstance(req, formData);
        }

        private static final Map<String, Function<String, Validation>> RULES = Map.of(
                "events", FilterValidation::events,
                "states", FilterValidation::states,
                "results", FilterValidation::results,
                "projects", FilterValidation::projects,
                "environments", FilterValidation::environments,
                "excludedEnvironments", FilterValidation::environments);

        public String getDefaultEvents() {
            return TriggerSpec.DEFAULT_EVENTS;
        }

        public String getDefaultStates() {
            return TriggerSpec.DEFAULT_STATES;
        }

        @POST
        public FormValidation doCheckEvents(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> FilterValidation.events(value));
        }

        @POST
        public FormValidation doCheckStates(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> FilterValidation.states(value));
        }

        @POST
        public FormValidation doCheckResults(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> FilterValidation.results(value));
        }

        @POST
        public FormValidation doCheckProjects(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> FilterValidation.projects(value));
        }

        @POST
        public FormValidation doCheckEnvironments(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> FilterValidation.environments(value));
        }

        @POST
        public FormValidation doCheckExcludedEnvironments(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> FilterValidation.environments(value));
        }

        /** Says at configuration time what would otherwise only show as refused deliveries. */
        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            String id = Util.fixEmptyAndTrim(value);
            if (!canConfigure(item) || id == null) {
                return FormValidation.ok();
            }
            StringCredentials c = visible(item, id);
            if (c == null) {
                return FormValidation.error("No Secret text credentials with this id are visible to this job: "
                        + "deliveries for it would be refused.");
            }
            return PlatformshForms.toFormValidation(
                    VerificationKey.checkSharedKeyText(c.getSecret().getPlainText()));
        }

        @POST
        public FormValidation doCheckTokenCredentialsId(
                @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String credentialsId) {
            String id = Util.fixEmptyAndTrim(value);
            if (!canConfigure(item) || id == null) {
                return FormValidation.ok();
            }
            Validation roles = PlatformshForms.oneRole(credentialsId, id);
            if (roles.isError()) {
                return PlatformshForms.toFormValidation(roles);
            }
            if (visible(item, id) == null) {
                return FormValidation.error("No Secret text credentials with this id are visible to this job: "
                        + "deliveries with this token would be refused.");
            }
            return FormValidation.warning(PlatformshForms.TOKEN_WARNING);
        }

        /** The credential a job's lookup finds, as SYSTEM in the job's context; null if none. */
        @CheckForNull
        private static StringCredentials visible(@CheckForNull Item item, String id) {
            StringCredentials c = SecretTexts.inItem(id, item);
            if (c != null && item == null && c.getScope() == CredentialsScope.SYSTEM) {
                c = null; // a job's lookup never sees SYSTEM-scoped credentials: do not approve one here
            }
            return c;
        }

        @POST
        public ListBoxModel doFillTokenCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String tokenCredentialsId) {
            return doFillCredentialsIdItems(item, tokenCredentialsId);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            StandardListBoxModel result = new StandardListBoxModel();
            if (!canConfigure(item)) {
                return result.includeCurrentValue(credentialsId);
            }
            // The key is looked up as SYSTEM in the job's context when a delivery arrives, so list exactly that.
            return result.includeEmptyValue()
                    .includeMatchingAs(
                            ACL.SYSTEM2,
                            item,
                            StringCredentials.class,
                            List.of(),
                            // Without an item the root store answers, SYSTEM scope included, which no job can use.
                            item == null
                                    ? CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM))
                                    : CredentialsMatchers.always())
                    .includeCurrentValue(credentialsId);
        }

        @POST
        public ListBoxModel doFillCoalesceItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            if (!canConfigure(item)) {
                return items;
            }
            for (Coalesce c : Coalesce.values()) {
                items.add(c.displayName(), c.name());
            }
            return items;
        }

        private static FormValidation check(@CheckForNull Item item, java.util.function.Supplier<Validation> check) {
            if (!canConfigure(item)) {
                return FormValidation.ok();
            }
            return PlatformshForms.toFormValidation(check.get());
        }

        private static boolean canConfigure(@CheckForNull Item item) {
            return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
        }
    }
}
