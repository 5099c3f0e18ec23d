package io.jenkins.plugins.platformsh.delivery.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cursor finds only the names it is given, so a field name the parser switches on but {@link ActivityParser#NAMES}
 * lacks would be skipped without a word. This reads the parser's source for every name it compares.
 */
class ActivityParserNamesTest {

    private static final Pattern COMPARED =
            Pattern.compile("case \"([^\"]+)\"|\\b(?:name|n2)\\.equals\\(\"([^\"]+)\"\\)");

    @Test
    void everyNameTheParserComparesIsListed() throws IOException {
        String source = Files.readString(source(), StandardCharsets.UTF_8);
        List<String> compared = new ArrayList<>();
        Matcher m = COMPARED.matcher(source);
        while (m.find()) {
            compared.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        assertTrue(compared.size() > 40, "found " + compared);
        for (String name : compared) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            assertEquals(name, ActivityParser.NAMES.find(b, 0, b.length), name + " is not in NAMES");
        }
        byte[] other = "not_a_field".getBytes(StandardCharsets.UTF_8);
        assertSame(JsonCursor.Names.OTHER, ActivityParser.NAMES.find(other, 0, other.length));
    }

    private static Path source() {
        String file = "src/main/java/io/jenkins/plugins/platformsh/delivery/activity/ActivityParser.java";
        for (Path p : List.of(Paths.get(file), Paths.get("..", file))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError(file + " not found from " + Paths.get("").toAbsolutePath());
    }
}
