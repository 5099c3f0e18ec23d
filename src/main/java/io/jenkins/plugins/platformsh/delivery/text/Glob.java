package io.jenkins.plugins.platformsh.delivery.text;

import java.util.Arrays;

/**
 * One glob of a filter, compiled: {@code *} matches any run of characters (the empty one too), {@code ?} exactly one
 * character, any other character itself; case-sensitive, no escapes. A "character" is one UTF-16 unit, as in
 * {@link String#charAt}: a character outside the Basic Multilingual Plane takes {@code ??}.
 *
 * <p>Matching simulates the glob's automaton on all its states at once, so it reads each character of the value once
 * and never backtracks (a matcher that goes back to the last {@code *} is O(n·m): a 1 MB name against a glob of 200
 * characters took 345 ms). State {@code i} means "the first {@code i} characters of the glob are matched"; the states
 * are bits of {@code ⌈(m + 1) / 64⌉} longs, m being the glob's length once runs of {@code *} are merged. For each
 * character of the value the step is a fixed handful of operations per long (advance the states whose glob character
 * accepts it, keep the states before a {@code *}, then let each {@code *} match the empty run), after a binary search
 * of that character among the glob's distinct characters. So a value of n characters costs O(n · (m / 64 + log m)),
 * whatever the characters are: linear in the value for a given glob, and a glob of up to 63 characters steps on one
 * long. It also stops early: when no state is left (no match possible) or when the state before a final {@code *} is
 * reached (a match whatever follows).
 */
public final class Glob {

    private final String pattern;
    /** Number of states: the merged glob's length + 1. State {@code accept} is the last. */
    private final int accept;

    private final int words;
    /** States just before a {@code *}: they stay on any character, and reach the next state on none. */
    private final long[] star;
    /** The distinct literal characters of the glob, sorted, and for each the states it advances. */
    private final char[] chars;

    private final long[][] advance;
    /** The states a character absent from the glob advances: those before a {@code ?}. */
    private final long[] anyChar;
    /** The state before a final {@code *}, or -1: once reached, the value matches whatever follows. */
    private final int finalStar;

    private Glob(String pattern) {
        this.pattern = pattern;
        StringBuilder merged = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '*' || merged.length() == 0 || merged.charAt(merged.length() - 1) != '*') {
                merged.append(c); // ** matches what * matches; merging them keeps one epsilon step per character
            }
        }
        int m = merged.length();
        accept = m;
        words = m / 64 + 1;
        star = new long[words];
        anyChar = new long[words];
        char[] literal = new char[m];
        int distinct = 0;
        for (int i = 0; i < m; i++) {
            char c = merged.charAt(i);
            if (c == '*') {
                set(star, i);
            } else if (c == '?') {
                set(anyChar, i);
            } else {
                literal[distinct++] = c;
            }
        }
        char[] sorted = Arrays.copyOf(literal, distinct);
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (k == 0 || sorted[k - 1] != sorted[i]) {
                sorted[k++] = sorted[i];
            }
        }
        chars = Arrays.copyOf(sorted, k);
        advance = new long[k][];
        for (int j = 0; j < k; j++) {
            advance[j] = anyChar.clone();
        }
        for (int i = 0; i < m; i++) {
            char c = merged.charAt(i);
            if (c != '*' && c != '?') {
                set(advance[Arrays.binarySearch(chars, c)], i);
            }
        }
        finalStar = m > 0 && merged.charAt(m - 1) == '*' ? m - 1 : -1;
    }

    public static Glob of(String pattern) {
        return new Glob(pattern);
    }

    public String pattern() {
        return pattern;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static boolean isSet(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private long[] advanceFor(char c) {
        int j = Arrays.binarySearch(chars, c);
        return j >= 0 ? advance[j] : anyChar;
    }

    /** Whether the whole value matches the glob. Reads each character of the value at most once. */
    public boolean matches(CharSequence value) {
        return words == 1 ? matchesOneWord(value) : matchesManyWords(value);
    }

    private boolean matchesOneWord(CharSequence value) {
        long starBits = star[0];
        long finalBit = finalStar < 0 ? 0 : 1L << finalStar;
        long d = 1L;
        d |= (d & starBits) << 1;
        int n = value.length();
        for (int v = 0; v < n; v++) {
            if ((d & finalBit) != 0) {
                return true;
            }
            long next = ((d & advanceFor(value.charAt(v))[0]) << 1) | (d & starBits);
            d = next | ((next & starBits) << 1);
            if (d == 0) {
                return false;
            }
        }
        return (d & (1L << accept)) != 0;
    }

    private boolean matchesManyWords(CharSequence value) {
        long[] d = new long[words];
        long[] next = new long[words];
        d[0] = 1L;
        closeOverStars(d);
        int n = value.length();
        for (int v = 0; v < n; v++) {
            if (finalStar >= 0 && isSet(d, finalStar)) {
                return true;
            }
            long[] adv = advanceFor(value.charAt(v));
            long carry = 0;
            long any = 0;
            for (int w = 0; w < words; w++) {
                long moved = d[w] & adv[w];
                next[w] = (moved << 1) | carry | (d[w] & star[w]);
                carry = moved >>> 63;
            }
            closeOverStars(next);
            for (int w = 0; w < words; w++) {
                any |= next[w];
            }
            if (any == 0) {
                return false;
            }
            long[] t = d;
            d = next;
            next = t;
        }
        return isSet(d, accept);
    }

    /** Lets every {@code *} match the empty run: one shift, as no {@code *} follows another once merged. */
    private void closeOverStars(long[] d) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long s = d[w] & star[w];
            d[w] |= (s << 1) | carry;
            carry = s >>> 63;
        }
    }

    @Override
    public String toString() {
        return pattern;
    }
}
