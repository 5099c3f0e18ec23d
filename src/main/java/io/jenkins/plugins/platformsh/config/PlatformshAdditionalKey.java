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
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One more Secret text accepted for deliveries, beside the default shared key: the next key while rotating, or the
 * key of one project (limited to the project ids listed). It may hold a shared key or a token.
 */
public class PlatformshAdditionalKey extends AbstractDescribableImpl<PlatformshAdditionalKey> {

    private final String credentialsId;
    private final String projects;

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
        return FilterValidation.projects(text);
    }

    public String getCredentialsId() {
        return credentialsId;
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
        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("Choose a Secret text credential.");
            }
            StringCredentials c = SecretTexts.global(value.trim());
            if (c == null) {
                return FormValidation.error("No Secret text credentials with this id in the global credentials.");
            }
            return PlatformshForms.toFormValidation(
                    VerificationKey.checkSharedKeyText(c.getSecret().getPlainText()));
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
