package io.jenkins.plugins.platformsh.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.platformsh.delivery.match.FilterValidation;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One more key accepted for deliveries, beside the default ones: the next key while rotating, or the key of one
 * project (limited to the project ids listed). Each Secret text has the role the administrator gives it:
 * {@code credentialsId} a shared key (the signature), {@code tokenCredentialsId} a token ({@code ?token=}). An entry
 * saved before the roles existed named one credential, accepted as both; it is read back as a shared key only.
 */
public class PlatformshAdditionalKey extends AbstractDescribableImpl<PlatformshAdditionalKey> {

    private final String credentialsId;
    private final String projects;
    /** Null in an entry saved before tokens had their own field: no token. */
    private String tokenCredentialsId;

    /**
     * Both values are constructor arguments so that an invalid one fails the form and configuration as code: Stapler
     * only logs a failing setter of a nested object, which would leave the key valid for every project.
     */
    @DataBoundConstructor
    public PlatformshAdditionalKey(String credentialsId, String projects) {
        this.credentialsId = Util.fixNull(credentialsId).trim();
        Validation v = validateProjects(projects);
        if (v.isError()) {
            throw new IllegalArgumentException("projects: " + v.message());
        }
        this.projects = Util.fixNull(projects).trim();
    }

    /** Exact project ids only: the scope is a set of ids, and a pattern would silently match nothing. */
    static Validation validateProjects(String text) {
        if (Util.fixNull(text).contains("*") || Util.fixNull(text).contains("?")) {
            return new Validation(Validation.Level.ERROR, "List project ids, without * or ?: a key's scope is exact.");
        }
        return FilterValidation.projectIds(text);
    }

    /** The Secret text used as a shared key; empty for none. */
    public String getCredentialsId() {
        return credentialsId;
    }

    /** The Secret text used as a token; empty for none. */
    public String getTokenCredentialsId() {
        return Util.fixNull(tokenCredentialsId);
    }

    /**
     * Set after the constructor, so the shared key is known here: the same credentials in both roles are refused
     * (the form says so too).
     */
    @DataBoundSetter
    public void setTokenCredentialsId(String tokenCredentialsId) {
        String id = Util.fixNull(tokenCredentialsId).trim();
        Validation v = NamedKey.checkRoles(credentialsId, id);
        if (v.isError()) {
            throw new IllegalArgumentException("tokenCredentialsId: " + v.message());
        }
        this.tokenCredentialsId = id;
    }

    /** The keys this entry names, each in its role. */
    public List<NamedKey> namedKeys() {
        List<NamedKey> keys = new ArrayList<>(2);
        if (!credentialsId.isEmpty()) {
            keys.add(NamedKey.sharedKey(credentialsId));
        }
        String token = getTokenCredentialsId();
        if (!token.isEmpty() && !token.equals(credentialsId)) {
            keys.add(NamedKey.token(token));
        }
        return keys;
    }

    /** Project ids this key is valid for; empty for every project. */
    public String getProjects() {
        return projects;
    }

    /** Descriptor: the form's checks and credentials list, administrators only. */
    @Extension
    @Symbol("key")
    public static class DescriptorImpl extends Descriptor<PlatformshAdditionalKey> {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Additional key";
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return PlatformshGlobalConfiguration.credentialsItems(credentialsId);
        }

        @POST
        public ListBoxModel doFillTokenCredentialsIdItems(@QueryParameter String tokenCredentialsId) {
            return PlatformshGlobalConfiguration.credentialsItems(tokenCredentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(
                @QueryParameter String value, @QueryParameter String tokenCredentialsId) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return Util.fixEmptyAndTrim(tokenCredentialsId) == null
                        ? FormValidation.error(
                                "Choose a Secret text credential as the shared key, or one as the token.")
                        : FormValidation.ok();
            }
            return PlatformshForms.checkGlobalSharedKey(value);
        }

        @POST
        public FormValidation doCheckTokenCredentialsId(
                @QueryParameter String value, @QueryParameter String credentialsId) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            return PlatformshForms.checkGlobalToken(value, credentialsId);
        }

        @POST
        public FormValidation doCheckProjects(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            return PlatformshForms.toFormValidation(validateProjects(value));
        }
    }
}
