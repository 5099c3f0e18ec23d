package io.jenkins.plugins.platformsh;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code unclassified: platformshWebhook:} is read, applied, and exported back. */
@WithJenkinsConfiguredWithCode
class PlatformshConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("casc.yml")
    void appliesTheConfiguration(JenkinsConfiguredWithCodeRule j) {
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        assertEquals("psh-shared-key", config.getCredentialsId());
        assertEquals("psh-token", config.getTokenCredentialsId());
        assertFalse(config.isAcceptUnsigned());
        assertEquals(2097152L, config.getMaxBodyBytes());
        assertEquals(50, config.getDeliveryLogSize());
        assertEquals(2097152L, config.toSettings().maxBodyBytes());
        assertEquals(50, config.toSettings().logSize());
        assertEquals(2, config.getAdditionalKeys().size());
        assertEquals("psh-next-key", config.getAdditionalKeys().get(0).getCredentialsId());
        assertEquals("abcdefgh1234567", config.getAdditionalKeys().get(0).getProjects());
        assertEquals(
                List.of(NamedKey.sharedKey("psh-next-key")),
                config.getAdditionalKeys().get(0).namedKeys(),
                "credentialsId keeps its meaning: a shared key, and only that");
        assertEquals(
                List.of(NamedKey.token("psh-project-token")),
                config.getAdditionalKeys().get(1).namedKeys());
    }

    @Test
    @ConfiguredWithCode("casc.yml")
    void exportsTheConfiguration(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("platformshWebhook");
        assertNotNull(node, "exported under its symbol");
        String exported = toYamlString(node);
        assertTrue(exported.contains("credentialsId: \"psh-shared-key\""), exported);
        assertTrue(exported.contains("tokenCredentialsId: \"psh-token\""), exported);
        assertTrue(exported.contains("maxBodyBytes: 2097152"), exported);
        assertTrue(exported.contains("deliveryLogSize: 50"), exported);
        assertTrue(exported.contains("credentialsId: \"psh-next-key\""), exported);
        assertTrue(exported.contains("projects: \"abcdefgh1234567\""), exported);
        assertTrue(exported.contains("tokenCredentialsId: \"psh-project-token\""), exported);
    }
}
