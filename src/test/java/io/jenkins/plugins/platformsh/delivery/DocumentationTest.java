package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The documented tables must say what the code does. */
class DocumentationTest {

    /** docs/ from the repository root (root build) or from .ci (Central-only build). */
    private static Path docs(String name) {
        for (Path p : List.of(Paths.get("docs", name), Paths.get("..", "docs", name))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError("docs/" + name + " not found from " + Paths.get("").toAbsolutePath());
    }

    @Test
    void variablesTableListsEveryVariableInOrder() throws Exception {
        List<String> documented = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `(PLATFORMSH_[A-Z_]+)` \\|").matcher(Files.readString(docs("variables.md")));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(Variables.NAMES, documented);
    }

    @Test
    void statusTableCoversEveryStatusDecideCanGive() throws Exception {
        String text = Files.readString(docs("statuses.md"));
        for (int status : new int[] {200, 400, 401, 403, 405, 413, 415, 503}) {
            assertTrue(text.contains("| " + status + " |"), "docs/statuses.md documents " + status);
        }
    }
}
