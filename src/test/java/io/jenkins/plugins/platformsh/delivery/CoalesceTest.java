package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Latest per environment": what it groups by. */
class CoalesceTest {

    @Test
    void theKeyIsProjectAndEnvironment() throws Exception {
        assertEquals("proj2022abcdefg/main", Coalesce.key(Fixtures.parse("push-2022.json")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"a\",\"type\":\"project.domain.create\",\"project\":\"p\"}",
        "{\"id\":\"a\",\"type\":\"environment.push\",\"project\":\"p\",\"parameters\":{\"environment\":\"\"}}",
        "{\"id\":\"a\",\"type\":\"environment.push\",\"parameters\":{\"environment\":\"main\"}}",
        "{\"id\":\"a\",\"type\":\"environment.push\",\"project\":\"\",\"parameters\":{\"environment\":\"main\"}}"
    })
    void withoutProjectOrEnvironmentThereIsNoKey(String json) throws Exception {
        assertNull(Coalesce.key(ActivityParser.parse(Fixtures.utf8(json))));
    }
}
