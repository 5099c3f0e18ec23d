package io.jenkins.plugins.platformsh.pipeline;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jvnet.hudson.test.JenkinsRule;

/** Deliveries for the waiting step's tests, signed as Platform.sh signs them. */
final class WaitDeliveries {

    static final String KEY = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("a-test-shared-key-32-bytes-long!".getBytes(StandardCharsets.US_ASCII));
    static final String WRONG_KEY = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("another-key-nobody-configured-!!".getBytes(StandardCharsets.US_ASCII));
    static final String C1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String C2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static final String PROTECTED = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(StandardCharsets.US_ASCII));

    private WaitDeliveries() {}

    static void configureKey() throws Exception {
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "psh-key", "key", Secret.fromString(KEY)));
        store.save();
        PlatformshGlobalConfiguration.get().setCredentialsId("psh-key");
    }

    static String push(String id, String env, String commit, String result) {
        return "{\"id\":\"" + id + "\",\"type\":\"environment.push\",\"project\":\"proj1\","
                + "\"environments\":[\"" + env + "\"],\"state\":\"complete\",\"result\":\"" + result + "\","
                + "\"parameters\":{\"environment\":\"" + env + "\",\"new_commit\":\"" + commit + "\"},"
                + "\"payload\":{\"commits\":[{\"sha\":\"" + commit + "\"}],\"deployment\":{\"routes\":{\"https://" + env
                + ".example.site/\":{\"primary\":true,\"type\":\"upstream\"}},"
                + "\"variables\":[{\"name\":\"env:DB_PASSWORD\",\"value\":\"s3cr3t-db\"}]}},"
                + "\"text\":\"Jane pushed to " + env + "\","
                + "\"_links\":{\"self\":{\"href\":\"https://api.example/projects/proj1/activities/" + id + "\"}}}";
    }

    static WebResponse post(JenkinsRule r, String body, String key) throws Exception {
        WebRequest request = new WebRequest(new URL(r.getURL(), "platformsh-webhook/"), HttpMethod.POST);
        request.setAdditionalHeader("Content-Type", "application/json");
        if (key != null) {
            request.setAdditionalHeader("X-JWS-Signature", sign(key, body));
        }
        request.setRequestBody(body);
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.setThrowExceptionOnFailingStatusCode(false);
        return wc.getPage(request).getWebResponse();
    }

    /** POSTs with {@code ?token=}, as a sender that cannot sign does. */
    static WebResponse postWithToken(JenkinsRule r, String body, String token) throws Exception {
        WebRequest request = new WebRequest(
                new URL(r.getURL(), "platformsh-webhook/?token=" + java.net.URLEncoder.encode(token, "UTF-8")),
                HttpMethod.POST);
        request.setAdditionalHeader("Content-Type", "application/json");
        request.setRequestBody(body);
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.setThrowExceptionOnFailingStatusCode(false);
        return wc.getPage(request).getWebResponse();
    }

    private static String sign(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(key), "HmacSHA256"));
        mac.update((PROTECTED + ".").getBytes(StandardCharsets.US_ASCII));
        return PROTECTED + ".."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Wait> waiting() {
        return PlatformshTriggers.get().service().waits().waiting();
    }

    /** Blocks until n steps wait (no assertion on time: the test's own timeout bounds it). */
    static void awaitWaiting(int n) throws InterruptedException {
        while (waiting().size() != n) {
            Thread.sleep(50);
        }
    }
}
