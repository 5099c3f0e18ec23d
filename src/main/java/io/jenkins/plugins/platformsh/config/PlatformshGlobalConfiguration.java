package io.jenkins.plugins.platformsh.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.XmlFile;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.XStream2;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → Platform.sh Webhook. Also configured as code under
 * {@code unclassified: platformshWebhook:}.
 */
@Extension
@Symbol("platformshWebhook")
public class PlatformshGlobalConfiguration extends GlobalConfiguration {

    private String credentialsId = "";
    private String tokenCredentialsId = "";
    private boolean acceptUnsigned;
    private long maxBodyBytes = DeliverySettings.DEFAULT_MAX_BODY_BYTES;
    private int deliveryLogSize = DeliverySettings.DEFAULT_LOG_SIZE;
    /** Null in a config.xml written before replay existed: the default then. */
    private Integer replayStorageMiB;

    private List<PlatformshAdditionalKey> additionalKeys = new ArrayList<>();

    /**
     * Saved where, and under the names, it was saved before this class moved into this package: an existing Jenkins
     * keeps its settings. New saves write the new class names into the same file.
     */
    private static final String OLD_NAME = "io.jenkins.plugins.platformsh.PlatformshGlobalConfiguration";

    private static final XStream2 XSTREAM = new XStream2();

    static {
        XSTREAM.addCompatibilityAlias(OLD_NAME, PlatformshGlobalConfiguration.class);
        XSTREAM.addCompatibilityAlias(
                "io.jenkins.plugins.platformsh.PlatformshAdditionalKey", PlatformshAdditionalKey.class);
    }

    @Override
    protected XmlFile getConfigFile() {
        return new XmlFile(XSTREAM, new File(Jenkins.get().getRootDir(), OLD_NAME + ".xml"));
    }

    public PlatformshGlobalConfiguration() {
        load();
    }

    public static PlatformshGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(PlatformshGlobalConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "Platform.sh Webhook";
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        // One save for the whole form, and none at all if a value is refused: the setters each save otherwise, and a
        // half-applied form could lose the rotation keys.
        try (BulkChange bc = new BulkChange(this)) {
            // A repeatable list emptied in the form is absent from the JSON: clear it first, or it would stay.
            additionalKeys = new ArrayList<>();
            req.bindJSON(this, json);
            bc.commit();
        } catch (IllegalArgumentException e) {
            load(); // back to what is on disk
            // A value out of range: shown on the form, not as a stack trace.
            throw new FormException(e.getMessage(), e, "");
        } catch (IOException e) {
            throw new FormException("Could not save: " + e.getMessage(), e, "");
        }
        return true;
    }

    /**
     * The settings a delivery is decided with. A value out of range (edited XML) falls back to its default rather
     * than refusing every delivery.
     */
    public DeliverySettings toSettings() {
        DeliverySettings settings = DeliverySettings.defaults().withAcceptUnsigned(acceptUnsigned);
        if (maxBodyBytes >= DeliverySettings.MIN_MAX_BODY_BYTES
                && maxBodyBytes <= DeliverySettings.MAX_MAX_BODY_BYTES) {
            settings = settings.withMaxBodyBytes(maxBodyBytes);
        }
        if (deliveryLogSize >= 0 && deliveryLogSize <= DeliverySettings.MAX_LOG_SIZE) {
            settings = settings.withLogSize(deliveryLogSize);
        }
        int mib = getReplayStorageMiB();
        if (mib >= 0 && mib <= MAX_REPLAY_STORAGE_MIB) {
            settings = settings.withReplayBytes(mib * 1024L * 1024L);
        }
        return settings;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId).trim();
        save();
    }

    /** Keys accepted beside the default one: for rotation, or limited to some projects. */
    public List<PlatformshAdditionalKey> getAdditionalKeys() {
        return additionalKeys == null ? List.of() : Collections.unmodifiableList(additionalKeys);
    }

    @DataBoundSetter
    public void setAdditionalKeys(List<PlatformshAdditionalKey> additionalKeys) {
        this.additionalKeys = additionalKeys == null ? new ArrayList<>() : new ArrayList<>(additionalKeys);
        save();
    }

    public String getTokenCredentialsId() {
        return tokenCredentialsId;
    }

    @DataBoundSetter
    public void setTokenCredentialsId(String tokenCredentialsId) {
        this.tokenCredentialsId = Util.fixNull(tokenCredentialsId).trim();
        save();
    }

    public boolean isAcceptUnsigned() {
        return acceptUnsigned;
    }

    @DataBoundSetter
    public void setAcceptUnsigned(boolean acceptUnsigned) {
        this.acceptUnsigned = acceptUnsigned;
        save();
    }

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    /** Checked here so that configuration as code reports a bad value instead of storing it. */
    @DataBoundSetter
    public void setMaxBodyBytes(long maxBodyBytes) {
        if (maxBodyBytes < DeliverySettings.MIN_MAX_BODY_BYTES || maxBodyBytes > DeliverySettings.MAX_MAX_BODY_BYTES) {
            throw new IllegalArgumentException("maxBodyBytes must be between " + DeliverySettings.MIN_MAX_BODY_BYTES
                    + " and " + DeliverySettings.MAX_MAX_BODY_BYTES);
        }
        this.maxBodyBytes = maxBodyBytes;
        save();
    }

    public int getDeliveryLogSize() {
        return deliveryLogSize;
    }

    @DataBoundSetter
    public void setDeliveryLogSize(int deliveryLogSize) {
        if (deliveryLogSize < 0 || deliveryLogSize > DeliverySettings.MAX_LOG_SIZE) {
            throw new IllegalArgumentException(
                    "deliveryLogSize must be between 0 and " + DeliverySettings.MAX_LOG_SIZE);
        }
        this.deliveryLogSize = deliveryLogSize;
        save();
    }

    static final int MAX_REPLAY_STORAGE_MIB = (int) (DeliverySettings.MAX_REPLAY_BYTES / (1024 * 1024));

    /** Redacted bodies kept for replay, in all, in memory and in JENKINS_HOME; 0 turns replay off. */
    public int getReplayStorageMiB() {
        return replayStorageMiB == null
                ? (int) (DeliverySettings.DEFAULT_REPLAY_BYTES / (1024 * 1024))
                : replayStorageMiB;
    }

    @DataBoundSetter
    public void setReplayStorageMiB(int mib) {
        if (mib < 0 || mib > MAX_REPLAY_STORAGE_MIB) {
            throw new IllegalArgumentException("replayStorageMiB must be between 0 and " + MAX_REPLAY_STORAGE_MIB);
        }
        this.replayStorageMiB = mib;
        save();
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        return credentialsItems(credentialsId);
    }

    @POST
    public ListBoxModel doFillTokenCredentialsIdItems(@QueryParameter String tokenCredentialsId) {
        return credentialsItems(tokenCredentialsId);
    }

    @POST
    public FormValidation doCheckCredentialsId(@QueryParameter String value) {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.warning("Without a shared key, only deliveries with a token (or, if allowed below, "
                    + "unsigned deliveries) are accepted, unless a job's trigger names its own key.");
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
    public FormValidation doCheckAcceptUnsigned(@QueryParameter boolean value) {
        if (Jenkins.get().hasPermission(Jenkins.ADMINISTER) && value) {
            return FormValidation.warning("Anyone who can reach this Jenkins can then start the matching builds. "
                    + "Use it only for a trial on a closed network.");
        }
        return FormValidation.ok();
    }

    @POST
    public FormValidation doCheckMaxBodyBytes(@QueryParameter String value) {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        try {
            long v = Long.parseLong(Util.fixNull(value).trim());
            if (v < DeliverySettings.MIN_MAX_BODY_BYTES || v > DeliverySettings.MAX_MAX_BODY_BYTES) {
                return FormValidation.error("Between " + DeliverySettings.MIN_MAX_BODY_BYTES + " and "
                        + DeliverySettings.MAX_MAX_BODY_BYTES + " bytes.");
            }
            return FormValidation.ok();
        } catch (NumberFormatException e) {
            return FormValidation.error("A number of bytes, such as 10485760 (10 MiB).");
        }
    }

    @POST
    public FormValidation doCheckDeliveryLogSize(@QueryParameter String value) {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return FormValidation.ok();
        }
        try {
            int v = Integer.parseInt(Util.fixNull(value).trim());
            if (v < 0 || v > DeliverySettings.MAX_LOG_SIZE) {
                return FormValidation.error("Between 0 and " + DeliverySettings.MAX_LOG_SIZE + ".");
            }
            return FormValidation.ok();
        } catch (NumberFormatException e) {
            return FormValidation.error("A number of deliveries, such as 200.");
        }
    }

    /** The global Secret text credentials, for administrators; only the current value for anyone else. */
    static ListBoxModel credentialsItems(String current) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(
                        ACL.SYSTEM2, Jenkins.get(), StringCredentials.class, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }
}
