package io.jenkins.plugins.platformsh.delivery.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cursor against Jackson itself, configured here as the package's factory is (a copy, so that a change to one
 * shows here): the same bodies accepted, the same tokens and texts, on generated JSON, on generated JSON with bytes
 * broken, on the fixtures, and at each limit.
 */
class JsonCursorTest {

    /**
     * A new factory for each body: a factory's table of names, shared by its parsers, sometimes finds a name with an
     * invalid UTF-8 byte among names seen before and takes it, where a new one refuses it (and so does the cursor).
     */
    private static JsonFactory jackson() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(200)
                        .maxNumberLength(1000)
                        .maxStringLength(64 * 1024 * 1024)
                        .build())
                .build();
    }

    private static final JsonCursor.Names NAMES = JsonCursor.Names.of("id type name");

    private static final String REFUSED = "REFUSED";

    /** Jackson's tokens for one root value and the end, or the tokens up to a refusal. */
    static List<String> jackson(byte[] body) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = jackson().createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                out.add(REFUSED); // an empty body
                return out;
            }
            int depth = 0;
            while (true) {
                out.add(describe(t, t == JsonToken.FIELD_NAME ? p.currentName() : text(t, p)));
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
            }
            if (p.nextToken() != null) {
                out.add(REFUSED); // another value after the root: the cursor refuses it too
            }
        } catch (IOException e) {
            out.add(REFUSED);
        }
        return out;
    }

    private static String text(JsonToken t, JsonParser p) throws IOException {
        return t.isScalarValue() ? p.getText() + "/" + p.getTextLength() : null;
    }

    static List<String> cursor(byte[] body) {
        List<String> out = new ArrayList<>();
        JsonCursor c = new JsonCursor(body, 0, body.length, NAMES);
        try {
            JsonToken t;
            while ((t = c.nextToken()) != null) {
                out.add(describe(t, t == JsonToken.FIELD_NAME || t.isScalarValue() ? textOf(t, c) : null));
            }
            if (out.isEmpty()) {
                out.add(REFUSED);
            }
        } catch (JsonCursor.Invalid e) {
            out.add(REFUSED);
        }
        return out;
    }

    private static String textOf(JsonToken t, JsonCursor c) {
        return t == JsonToken.FIELD_NAME ? c.getText() : c.getText() + "/" + c.getTextLength();
    }

    private static String describe(JsonToken t, String text) {
        return text == null ? t.name() : t.name() + ":" + text;
    }

    /** Whether the cursor, stepping over the root value at once, accepts the body. */
    static boolean cursorSkips(byte[] body) {
        JsonCursor c = new JsonCursor(body, 0, body.length, NAMES);
        try {
            if (c.nextToken() == null) {
                return false;
            }
            c.skipChildren();
            return c.nextToken() == null;
        } catch (JsonCursor.Invalid e) {
            return false;
        }
    }

    static void assertSame(byte[] body) {
        if (guessedNotUtf8(body)) {
            return; // refused before either reader sees it (ActivityParser.parse); Jackson would guess UTF-16 or -32
        }
        List<String> j = jackson(body);
        List<String> c = cursor(body);
        String shown = new String(body, StandardCharsets.UTF_8);
        boolean accepted = !j.contains(REFUSED);
        assertEquals(
                accepted,
                !c.contains(REFUSED),
                () -> "verdicts differ on " + shown + "\nJackson " + j + "\ncursor  " + c);
        if (accepted) {
            assertEquals(j, c, () -> "tokens differ on " + shown);
        }
        assertEquals(accepted, cursorSkips(body), () -> "skipping differs on " + shown);
    }

    @Property(tries = 3000)
    void generatedJsonReadsAsJacksonReadsIt(@ForAll long seed) {
        assertSame(utf8(new Generator(new Random(seed)).document()));
    }

    @Property(tries = 6000)
    void brokenJsonIsRefusedWhereJacksonRefusesIt(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] b = utf8(new Generator(r).document());
        int mutations = 1 + r.nextInt(3);
        for (int k = 0; k < mutations && b.length > 0; k++) {
            b = Generator.mutate(r, b);
        }
        assertSame(b);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "push-2015.json",
                "push-2017.json",
                "push-2022.json",
                "health.json",
                "restore.json",
                "cron.json",
                "merge.json",
                "activate.json",
                "synchronize.json",
                "future-type.json"
            })
    void fixturesReadAsJacksonReadsThem(String name) throws IOException {
        try (InputStream in =
                getClass().getResourceAsStream("/io/jenkins/plugins/platformsh/delivery/fixtures/" + name)) {
            byte[] b = in.readAllBytes();
            assertFalse(jackson(b).contains(REFUSED));
            assertSame(b);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "[]",
                "{\"a\":[1,-0,0.5,1e5,1E+5,-1.5e-7,true,false,null]}",
                "{ \"a\" : { } , \"b\" : [ ] }",
                "{\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\":\"x\"}",
                "\"\u00e9\u20ac\ud83d\ude00\"",
                "0",
                "-0",
                "123",
                "{\"a\":1}\n\r\t ",
                // refused: each of these is a case where a lenient reader would take it
                "",
                " ",
                "{",
                "}",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1,}",
                "[1,]",
                "[,1]",
                "{,}",
                "{\"a\" 1}",
                "{'a':1}",
                "{a:1}",
                "[01]",
                "[-01]",
                "[00]",
                "[1.]",
                "[.5]",
                "[1e]",
                "[1e+]",
                "[-]",
                "[+1]",
                "[NaN]",
                "[Infinity]",
                "[tru]",
                "[truex]",
                "[nul]",
                "[True]",
                "[\"\\x\"]",
                "[\"\\u12\"]",
                "[\"\\u12G4\"]",
                "[\"a\nb\"]",
                "[\"a\tb\"]",
                "[\"a\u0000b\"]",
                "[\"abc]",
                "[1 2]",
                "{\"a\":1 \"b\":2}",
                "{}{}",
                "{} x",
                "{}]",
                "[1]]",
                "[/* */1]",
                "[1]//",
                "#",
                "[\"\\",
                "[\"\\u",
                "[1,2",
                "{\"a\":{\"b\":[}}]",
                "[\"\\'\"]",
                "[1\f]",
                "[1\u000b]",
                "[\f1]",
                "{\"a\"\f:1}"
            })
    void edgeCasesReadAsJacksonReadsThem(String json) {
        assertSame(utf8(json));
    }

    @Test
    void invalidUtf8IsRefusedAsJacksonRefusesIt() {
        int[][] cases = {
            {0x80},
            {0xF8, 0x88, 0x80, 0x80},
            {0xFC, 0x80, 0x80, 0x80},
            {0xF0, 0x80, 0x80, 0x80},
            {0xF0, 0x8F, 0xBF, 0xBF},
            {0xBF},
            {0xC3},
            {0xC3, 0x28},
            {0xE2, 0x82},
            {0xE2, 0x28, 0xA1},
            {0xF0, 0x9F, 0x98},
            {0xF8, 0x88, 0x80, 0x80, 0x80},
            {0xFF},
            {0xFE},
            {0xC0, 0x80},
            {0xED, 0xA0, 0x80},
            {0xF4, 0x90, 0x80, 0x80},
            {0xF7, 0xBF, 0xBF, 0xBF}
        };
        for (int[] bytes : cases) {
            for (String where : List.of("value", "name", "outside")) {
                byte[] b = new byte[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    b[i] = (byte) bytes[i];
                }
                String marker = "\u0001";
                String template =
                        switch (where) {
                            case "value" -> "{\"a\":\"x" + marker + "y\"}";
                            case "name" -> "{\"x" + marker + "y\":1}";
                            default -> "{\"a\":1" + marker + "}";
                        };
                assertSame(splice(utf8(template), b));
            }
        }
    }

    @Test
    void nestingIsAllowedToTwoHundredLevelsAsJacksonAllowsIt() {
        assertSame(utf8("[".repeat(200) + "]".repeat(200)));
        assertTrue(jackson(utf8("[".repeat(201) + "]".repeat(201))).contains(REFUSED));
        assertTrue(cursor(utf8("[".repeat(201) + "]".repeat(201))).contains(REFUSED));
        assertSame(utf8("[".repeat(201) + "]".repeat(201)));
        assertSame(utf8("{\"a\":".repeat(199) + "[]" + "}".repeat(199)));
        assertSame(utf8("{\"a\":".repeat(200) + "[]" + "}".repeat(200)));
        assertSame(utf8("[".repeat(100_000)));
    }

    @Test
    void numbersAreAllowedToAThousandDigitsAsJacksonAllowsThem() {
        for (int n : new int[] {999, 1000, 1001}) {
            String digits = "1".repeat(n);
            assertSame(utf8("[" + digits + "]"));
            assertSame(utf8("[-" + digits + "]"));
            assertSame(utf8("[" + digits.substring(1) + ".5]"));
            assertSame(utf8("[1." + digits.substring(1) + "]"));
            assertSame(utf8("[1.5e" + digits.substring(2) + "]"));
        }
        assertTrue(cursor(utf8("[" + "1".repeat(1001) + "]")).contains(REFUSED));
    }

    @Test
    void namesAreAllowedFiftyThousandBytesOfUtf8AsJacksonAllowsThem() {
        for (int n : new int[] {49_999, 50_000, 50_001}) {
            String ascii = "a".repeat(n);
            assertSame(utf8("{\"" + ascii + "\":1}"));
            assertSame(utf8("{\"x\":{\"" + ascii + "\":[1]}}"));
        }
        // Escapes count as the bytes they stand for: 3 for a euro sign, 1 for a newline, 3 for each surrogate.
        assertSame(utf8("{\"" + "\\u20ac".repeat(16_666) + "aa\":1}"));
        assertSame(utf8("{\"" + "\\u20ac".repeat(16_667) + "\":1}"));
        assertSame(utf8("{\"" + "\\n".repeat(50_000) + "\":1}"));
        assertSame(utf8("{\"" + "\\n".repeat(50_001) + "\":1}"));
        assertSame(utf8("{\"" + "\\ud83d\\ude00".repeat(8_334) + "\":1}"));
        assertTrue(cursor(utf8("{\"" + "\u20ac".repeat(16_667) + "\":1}")).contains(REFUSED));
        assertFalse(cursorSkips(utf8("[{\"" + "a".repeat(50_001) + "\":1}]")));
    }

    @Test
    void aNameWithAnInvalidByteIsRefusedWhateverCameBefore() {
        // Jackson matches this second name to "d" by its padded 4-byte groups, without checking its UTF-8, and so
        // takes it; the cursor refuses it, and says where, whatever the shared factory has seen.
        byte[] b = {'{', '"', 'd', '"', ':', '1', ',', '"', (byte) 0xFF, 'd', '"', ':', '2', '}'};
        assertFalse(jackson(b).contains(REFUSED));
        assertTrue(cursor(b).contains(REFUSED));
        for (int i = 0; i < 2; i++) {
            MalformedDeliveryException e =
                    assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(b));
            assertEquals("the body is not valid JSON (line 1, column 9)", e.getMessage());
        }
    }

    @Test
    void oneOrTwoByteOrderMarksAreSteppedOverAsJacksonSteppedOverThem() throws MalformedDeliveryException {
        String json = "{\"id\":\"a1\",\"type\":\"environment.push\"}";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        for (int marks = 0; marks <= 2; marks++) {
            assertEquals(
                    "a1",
                    ActivityParser.parse(withPrefix(bom, marks, utf8(json))).id(),
                    marks + " marks");
        }
        byte[] three = withPrefix(bom, 3, utf8(json));
        assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(three));
    }

    @Test
    void whereTheDeliberateDifferenceIsCountsLinesAsJacksonDoes() {
        byte[] lone = {'{', '"', 'd', '"', ':', '1', ',', '\r', '"', (byte) 0xFF, 'd', '"', ':', '2', '}'};
        byte[] pair = {'{', '"', 'd', '"', ':', '1', ',', '\r', '\n', ' ', '"', (byte) 0xFF, 'd', '"', ':', '2', '}'};
        assertEquals(
                "the body is not valid JSON (line 2, column 2)",
                assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(lone))
                        .getMessage());
        assertEquals(
                "the body is not valid JSON (line 2, column 3)",
                assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(pair))
                        .getMessage());
    }

    @Test
    void afterTwoByteOrderMarksJacksonStillCountsTheSecondInItsColumns() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] b = withPrefix(bom, 2, utf8("{\"id\":\"a1\",\"type\":x}"));
        String expected;
        try (JsonParser p = jackson().createParser(b, 3, b.length - 3)) {
            while (p.nextToken() != null) {
                // to the error
            }
            throw new AssertionError("Jackson took it");
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            expected = "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        assertEquals("the body is not valid JSON (line 1, column 24)", expected);
        assertEquals(
                expected,
                assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(b))
                        .getMessage());
    }

    private static byte[] withPrefix(byte[] prefix, int times, byte[] body) {
        byte[] out = new byte[prefix.length * times + body.length];
        for (int i = 0; i < times; i++) {
            System.arraycopy(prefix, 0, out, i * prefix.length, prefix.length);
        }
        System.arraycopy(body, 0, out, prefix.length * times, body.length);
        return out;
    }

    @Test
    void aPrefixOfTheTextIsTheTextsPrefix() throws JsonCursor.Invalid {
        String s = "a\u00e9\u20ac\ud83d\ude00\\n\\u0041\\ud83d\\ude00z";
        byte[] b = utf8("[\"" + s + "\"]");
        JsonCursor c = new JsonCursor(b, 0, b.length, NAMES);
        c.nextToken();
        assertEquals(JsonToken.VALUE_STRING, c.nextToken());
        String whole = c.getText();
        assertEquals("a\u00e9\u20ac\ud83d\ude00\nA\ud83d\ude00z", whole);
        assertEquals(whole.length(), c.getTextLength());
        for (int n = 0; n <= whole.length(); n++) {
            assertEquals(whole.substring(0, n), c.textPrefix(n), "prefix of " + n);
        }
    }

    @Test
    void namesAreFoundWithoutTheirTextAndOthersReadAsOther() throws JsonCursor.Invalid {
        byte[] b = utf8("{\"id\":1,\"i\\u0064\":2,\"idx\":3,\"\":4,\"type\":5}");
        JsonCursor c = new JsonCursor(b, 0, b.length, NAMES);
        c.nextToken();
        List<String> names = new ArrayList<>();
        while (c.nextToken() == JsonToken.FIELD_NAME) {
            names.add(c.currentName() == JsonCursor.Names.OTHER ? "?" : c.currentName());
            c.nextToken();
        }
        assertEquals(List.of("id", "id", "?", "?", "type"), names);
        assertThrows(IllegalArgumentException.class, () -> JsonCursor.Names.of("a b a"));
    }

    @Test
    void intsAreThoseJacksonCallsInt() throws IOException, JsonCursor.Invalid {
        for (String n : List.of(
                "0",
                "-0",
                "7",
                "2147483647",
                "2147483648",
                "-2147483648",
                "-2147483649",
                "99999999999",
                "1.0",
                "1e2",
                "12345678901234567890")) {
            byte[] b = utf8("[" + n + "]");
            JsonCursor c = new JsonCursor(b, 0, b.length, NAMES);
            c.nextToken();
            c.nextToken();
            boolean jacksonInt;
            try (JsonParser p = jackson().createParser(b)) {
                p.nextToken();
                p.nextToken();
                jacksonInt = p.currentToken() == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() == JsonParser.NumberType.INT;
                if (jacksonInt) {
                    assertEquals(p.getIntValue(), c.getIntValue(), n);
                }
            }
            assertEquals(jacksonInt, c.isInt(), n);
        }
    }

    private static boolean guessedNotUtf8(byte[] b) {
        if (b.length >= 2 && ((b[0] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFF)) {
            return true;
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return true; // a byte order mark: ActivityParser steps over it before the cursor starts
        }
        for (int i = 0; i < Math.min(4, b.length); i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] splice(byte[] template, byte[] insert) {
        int at = indexOf(template, (byte) 1);
        byte[] out = new byte[template.length - 1 + insert.length];
        System.arraycopy(template, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(template, at + 1, out, at + insert.length, template.length - at - 1);
        return out;
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Random JSON with what real and hostile bodies hold: indentation, escapes, non-ASCII text, odd numbers. */
    static final class Generator {
        private static final String[] SPACE = {"", "", "", " ", "\n  ", "\n      ", "\t", "\r\n", "  \n"};
        private static final String[] PIECES = {
            "a",
            "main",
            "pr-60",
            " ",
            "https://x.example/",
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\n",
            "\\r",
            "\\t",
            "\\u00e9",
            "\\u0000",
            "\\ud83d",
            "\\ude00",
            "\\uFFFF",
            "\u00e9",
            "\u20ac",
            "\ud83d\ude00",
            "\u0645",
            "<b>",
            "'",
            "{",
            "[",
            ":",
            ",",
            "\u007f"
        };
        private static final byte[] INTERESTING = utf8("\"\\{}[],:0-1.eE+ tfn\n\t\u0000\u001f\u00e9");
        private final Random r;

        Generator(Random r) {
            this.r = r;
        }

        String document() {
            StringBuilder sb = new StringBuilder();
            sb.append(space());
            value(sb, 0, true);
            sb.append(space());
            return sb.toString();
        }

        private String space() {
            return SPACE[r.nextInt(SPACE.length)];
        }

        private void value(StringBuilder sb, int depth, boolean root) {
            int kind =
                    root ? (r.nextInt(10) < 8 ? 0 : r.nextInt(7)) : r.nextInt(depth > 5 ? 5 : 7) + (depth > 5 ? 2 : 0);
            switch (kind) {
                case 0 -> {
                    sb.append('{');
                    int n = r.nextInt(6);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            sb.append(space()).append(',');
                        }
                        sb.append(space());
                        string(sb, r.nextInt(4) == 0 ? "id" : null);
                        sb.append(space()).append(':').append(space());
                        value(sb, depth + 1, false);
                    }
                    sb.append(space()).append('}');
                }
                case 1 -> {
                    sb.append('[');
                    int n = r.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            sb.append(space()).append(',');
                        }
                        sb.append(space());
                        value(sb, depth + 1, false);
                    }
                    sb.append(space()).append(']');
                }
                case 2, 3 -> string(sb, null);
                case 4 -> number(sb);
                case 5 -> sb.append(new String[] {"true", "false", "null"}[r.nextInt(3)]);
                default -> {
                    if (root) {
                        number(sb);
                    } else {
                        value(sb, depth + 1, false);
                    }
                }
            }
        }

        private void string(StringBuilder sb, String fixed) {
            sb.append('"');
            if (fixed != null) {
                sb.append(fixed);
            } else {
                int n = r.nextInt(8) == 0 ? 20 + r.nextInt(60) : r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    sb.append(
                            r.nextBoolean()
                                    ? "abcdefgh".substring(0, 1 + r.nextInt(8))
                                    : PIECES[r.nextInt(PIECES.length)]);
                }
            }
            sb.append('"');
        }

        private void number(StringBuilder sb) {
            if (r.nextBoolean()) {
                sb.append('-');
            }
            sb.append(r.nextInt(4) == 0 ? "0" : Long.toString(1 + (r.nextLong() >>> (1 + r.nextInt(62)))));
            if (r.nextInt(3) == 0) {
                sb.append('.').append(r.nextInt(1000));
            }
            if (r.nextInt(4) == 0) {
                sb.append(r.nextBoolean() ? 'e' : 'E')
                        .append(new String[] {"", "+", "-"}[r.nextInt(3)])
                        .append(r.nextInt(400));
            }
        }

        static byte[] mutate(Random r, byte[] b) {
            int at = r.nextInt(b.length);
            byte x = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : INTERESTING[r.nextInt(INTERESTING.length)];
            return switch (r.nextInt(5)) {
                case 0 -> { // replace
                    byte[] c = b.clone();
                    c[at] = x;
                    yield c;
                }
                case 1 -> { // delete
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    yield c;
                }
                case 2 -> { // insert
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = x;
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    yield c;
                }
                case 3 -> java.util.Arrays.copyOf(b, at); // truncate
                default -> { // a byte from elsewhere in the body
                    byte[] c = b.clone();
                    c[at] = b[r.nextInt(b.length)];
                    yield c;
                }
            };
        }
    }
}
