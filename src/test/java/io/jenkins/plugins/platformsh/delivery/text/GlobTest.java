package io.jenkins.plugins.platformsh.delivery.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The glob matcher: the same answers as a regular expression built from the glob, in one pass over the value. */
class GlobTest {

    /**
     * The glob as a regular expression: {@code *} is {@code .*}, {@code ?} is {@code .}, the rest quoted. (A run of
     * {@code *} gives one {@code .*}, and the globs it is used on are short: a backtracking regex engine takes time
     * exponential in the number of {@code .*} on a value that does not match.)
     */
    private static Pattern reference(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> {
                    if (re.length() < 2 || re.charAt(re.length() - 1) != '*' || re.charAt(re.length() - 2) != '.') {
                        re.append(".*");
                    }
                }
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /**
     * The matcher before issue 21 (greedy, back to the last {@code *}): right but O(n·m). Kept as a second reference
     * because, unlike a regular expression, it reads UTF-16 units as the glob does, surrogates included.
     */
    private static boolean backtracking(String pattern, String value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int mark = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** A value that counts how many of its characters are read: the matcher's steps, whatever its inner workings. */
    static final class CountingValue implements CharSequence {
        private final String s;
        long reads;

        CountingValue(String s) {
            this.s = s;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException("the matcher reads characters one by one");
        }

        @Override
        public String toString() {
            return s;
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'', '', true",
        "'', a, false",
        "*, '', true",
        "?, '', false",
        "?, a, true",
        "?, ab, false",
        "a, A, false",
        "A*, abc, false",
        "a.c, abc, false",
        "a.c, a.c, true",
        "a[b]c, a[b]c, true",
        "a\\*, a\\bc, true",
        "***a***, xa, true",
        "*a*a*, aa, true",
        "*a*a*, a, false",
        "pr-*, pr-, true",
        "pr-*, pr, false",
        "*-?, feature-1, true",
        "*-?, feature-12, false",
        "?*?, ab, true",
        "?*?, a, false",
        "f??-*-x, foo-bar-x, true"
    })
    void examples(String glob, String value, boolean expected) {
        assertEquals(expected, Glob.of(glob).matches(value), glob + " ~ " + value);
        assertEquals(expected, reference(glob).matcher(value).matches(), "the reference agrees");
    }

    @Test
    void aQuestionMarkIsOneUtf16Unit() {
        String emoji = "\uD83D\uDE80"; // one code point, two chars
        assertTrue(Glob.of("??").matches(emoji));
        assertFalse(Glob.of("?").matches(emoji));
        assertTrue(Glob.of("x" + emoji + "*").matches("x" + emoji + "y"));
        assertTrue(Glob.of("?\uDE80").matches(emoji));
    }

    @Test
    void globsLongerThanOneWordOfStates() {
        // 63, 64 and 65 states and more: the state set spans several longs, carries cross their edges.
        for (int len : new int[] {62, 63, 64, 65, 127, 128, 129, 300}) {
            String literal = "ab".repeat(len).substring(0, len);
            assertTrue(Glob.of(literal).matches(literal), "literal " + len);
            assertFalse(Glob.of(literal).matches(literal + "x"), "literal " + len);
            assertFalse(Glob.of(literal).matches(literal.substring(1)), "literal " + len);
            String withStars = "*" + literal.replace('b', '?') + "*";
            assertTrue(Glob.of(withStars).matches("zz" + literal + "zz"), "stars " + len);
            assertFalse(Glob.of(withStars).matches("zz" + literal.substring(1)), "stars " + len);
            String starsInside = literal.substring(0, len / 2) + "*" + literal.substring(len / 2);
            assertTrue(Glob.of(starsInside).matches(literal), "star inside " + len);
            assertTrue(Glob.of(starsInside).matches(literal.substring(0, len / 2) + "qq" + literal.substring(len / 2)));
        }
    }

    @Property(tries = 3000)
    void sameAnswerAsTheRegularExpression(@ForAll("globs") String glob, @ForAll("values") String value) {
        assertEquals(reference(glob).matcher(value).matches(), Glob.of(glob).matches(value), glob + " ~ " + value);
    }

    @Property(tries = 3000)
    void sameAnswerAsTheBacktrackingMatcherOnAnyUtf16(
            @ForAll("anyGlobs") String glob, @ForAll("anyValues") String value) {
        assertEquals(backtracking(glob, value), Glob.of(glob).matches(value), glob + " ~ " + value);
    }

    /**
     * Values built from a glob's own pieces match far more often than random ones, so both answers get tested. The
     * reference here is the backtracking matcher: a regular expression with dozens of {@code .*} takes exponential
     * time on a value it does not match.
     */
    @Property(tries = 1000)
    void valuesMadeFromTheGlob(@ForAll("longGlobs") String glob, @ForAll("fillers") String filler) {
        String value = glob.replace("*", filler).replace('?', 'q');
        assertTrue(Glob.of(glob).matches(value), glob + " ~ " + value);
        for (String other : new String[] {value + "!", "!" + value, value.substring(1), value.replace('q', 'c')}) {
            assertEquals(backtracking(glob, other), Glob.of(glob).matches(other), glob + " ~ " + other);
        }
    }

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.strings().withChars("ab*?.\\[").ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("ab.\\[*?\n").ofMaxLength(16);
    }

    @Provide
    Arbitrary<String> longGlobs() {
        return Arbitraries.strings().withChars("abc*?-").ofMinLength(40).ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> fillers() {
        return Arbitraries.strings().withChars("abc-").ofMaxLength(4);
    }

    @Provide
    Arbitrary<String> anyGlobs() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(10),
                Arbitraries.strings()
                        .withChars('*', '?', 'a', '\uD83D', '\uDE80', '\u00e9')
                        .ofMaxLength(10));
    }

    @Provide
    Arbitrary<String> anyValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings()
                        .withChars('a', '\uD83D', '\uDE80', '\u00e9')
                        .ofMaxLength(12));
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Cost: counted in characters read, never in time.
    // -----------------------------------------------------------------------------------------------------------------

    private static long readsToMatch(String glob, String value) {
        CountingValue counted = new CountingValue(value);
        assertEquals(backtracking(glob, value), Patterns.glob(glob, counted), glob);
        return counted.reads;
    }

    @Example
    void hostileGlobsReadEachCharacterOfTheValueAtMostOnce() {
        int n = 200_000;
        String as = "a".repeat(n);
        String manyStars = "a*".repeat(100) + "b"; // 201 characters
        String longTail = "*" + "a".repeat(199) + "b"; // a greedy matcher retries the 200-character tail n times
        String questionMarks = "*" + "?".repeat(150) + "b";
        for (String glob : new String[] {manyStars, longTail, questionMarks}) {
            long reads = readsToMatch(glob, as);
            assertTrue(reads <= n, glob.length() + "-character glob read " + reads + " characters of " + n);
        }
        // And when it matches.
        assertTrue(readsToMatch(manyStars.replace("b", "a"), as) <= n);
        assertTrue(readsToMatch(longTail, as + "b") <= n + 1);
    }

    @Example
    void theCostGrowsWithTheValueNotWithItsProductWithTheGlob() {
        String glob = "*" + "a".repeat(199) + "b";
        long small = readsToMatch(glob, "a".repeat(10_000));
        long large = readsToMatch(glob, "a".repeat(100_000));
        assertTrue(large <= 10 * small + 10, small + " then " + large);
        assertTrue(large <= 100_000, "one read per character: " + large);
    }

    @Example
    void aTrailingStarStopsTheReadAsSoonAsTheMatchIsSure() {
        assertEquals(3, readsToMatch("pr-*", "pr-" + "x".repeat(1_000_000)));
        // And an impossible prefix stops it at the first character that rules the match out.
        assertEquals(1, readsToMatch("pr-*", "x".repeat(1_000_000)));
    }
}
