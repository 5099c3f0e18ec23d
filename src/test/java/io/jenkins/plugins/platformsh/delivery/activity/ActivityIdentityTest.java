package io.jenkins.plugins.platformsh.delivery.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.text.SecretsInText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the match and the delivery log keep of an activity: its identity, made once, clean and within bounds. */
class ActivityIdentityTest {

    @Test
    void keepsTheIdentifyingFieldsOnlyAndIsMadeOnce() throws Exception {
        Activity a = Fixtures.parse("push-2022.json");
        Activity i = a.identity();
        assertEquals(a.kind(), i.kind());
        assertEquals(a.id(), i.id());
        assertEquals(a.type(), i.type());
        assertEquals(a.project(), i.project());
        assertEquals(a.environment(), i.environment());
        assertEquals(a.machineName(), i.machineName());
        assertEquals(a.state(), i.state());
        assertEquals(a.result(), i.result());
        assertTrue(!a.commits().isEmpty() && i.commits().isEmpty());
        assertTrue(i.routes().isEmpty() && i.environments().isEmpty());
        assertEquals(0, i.commitsCount());
        assertEquals(0, i.logBytes());
        assertNull(i.gitRef());
        assertNull(i.text());
        assertNull(i.description());
        assertNull(i.userName());
        assertSame(i, a.identity(), "the match and the log share one identity");
        assertSame(i, i.identity(), "an identity is its own identity");
    }

    @Test
    void anIdentityKeepsTheRedactedAndCutValues() throws Exception {
        String env = "https://user:hunter2@example.com/" + "e".repeat(400);
        String body = "{\"id\":\"a1\",\"type\":\"environment.push\",\"project\":\"proj1\",\"state\":\"complete\","
                + "\"environments\":[\"main\"],\"payload\":{\"environment\":{\"name\":\"main\",\"machine_name\":\""
                + env.substring(0, 250) + "\"}}}";
        Activity a = ActivityParser.parse(body.getBytes(StandardCharsets.UTF_8));
        Activity i = a.identity();
        assertEquals(a.machineName(), i.machineName());
        assertTrue(!i.machineName().contains("hunter2") && i.machineName().contains(SecretsInText.REDACTED));
    }
}
