package io.jenkins.plugins.platformsh.delivery.activity;

import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A pull tokenizer over a UTF-8 body in memory, accepting exactly what Jackson's parser accepts with
 * {@link Json#FACTORY}'s settings (RFC 8259, no comments, no trailing commas, no leading zeros, nesting up to
 * {@link Json#MAX_DEPTH}, numbers up to 1,000 digits, UTF-8 checked as Jackson checks it), but cheaper where a
 * delivery spends its time: in what it skips. Field names are not decoded or looked up unless asked for, and a string
 * is decoded only when its text is asked for, and then only as much of it as is asked for.
 *
 * <p>Why not Jackson itself: a delivery is mostly members nobody reads ({@code payload.deployment}'s internals), and
 * Jackson canonicalises every field name it passes; this was the larger part of the parse (see docs/performance.md).
 * It says only <em>that</em> a body is invalid ({@link Invalid}); {@link ActivityParser} asks Jackson why, so the
 * reasons stay Jackson's. {@code JsonCursorTest} checks the two agree, token by token, on generated and hostile
 * bodies.
 */
final class JsonCursor {

    /** The body is not JSON as Jackson would read it, or has more after its value. Made without a stack trace. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        /** Where the cursor stopped, counted in the body. */
        final int offset;

        Invalid(int offset) {
            super("invalid JSON at byte " + offset, null, false, false);
            this.offset = offset;
        }
    }

    /** What Jackson allows a number's digits to be, with {@link Json#FACTORY}'s constraints. */
    static final int MAX_NUMBER_DIGITS = 1000;

    /** Eight bytes at a time, for the long runs: indentation and the inside of strings. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private static final int START = 0;
    private static final int OPENED_OBJECT = 1; // expect a name or }
    private static final int OPENED_ARRAY = 2; // expect a value or ]
    private static final int AFTER_NAME = 3; // expect a value (the colon is read with the name)
    private static final int AFTER_VALUE = 4; // expect , or a closing bracket; at depth 0, the end

    private final byte[] b;
    private final int end;
    private int pos;
    private int state = START;
    private int depth;
    private final boolean[] inObject = new boolean[Json.MAX_DEPTH + 1];
    private final Names names;

    private JsonToken token;
    private int tokenStart; // the token's first byte (a string's or name's opening quote)
    private int textStart; // a string's or name's content (inside the quotes), a number's or literal's bytes
    private int textEnd;
    private int textChars; // the text's length in UTF-16 units, as Jackson's getTextLength()
    private boolean plain; // ASCII without escapes: the bytes are the text

    JsonCursor(byte[] body, int from, int to, Names names) {
        this.b = body;
        this.pos = from;
        this.end = to;
        this.names = names;
    }

    /** The next token, or {@code null} at the end of the body; any content after the root value is {@link Invalid}. */
    JsonToken nextToken() throws Invalid {
        switch (state) {
            case AFTER_VALUE -> {
                int c = skipSpace();
                if (depth == 0) {
                    if (c < 0) {
                        return token = null;
                    }
                    throw new Invalid(pos); // Jackson decides between "content after" and a syntax error
                }
                if (c == ',') {
                    pos++;
                    return inObject[depth] ? name(skipSpace()) : value(skipSpace());
                }
                return close(c);
            }
            case OPENED_OBJECT -> {
                int c = skipSpace();
                return c == '}' ? close(c) : name(c);
            }
            case OPENED_ARRAY -> {
                int c = skipSpace();
                return c == ']' ? close(c) : value(c);
            }
            case AFTER_NAME, START -> {
                return value(skipSpace());
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Steps over the current container's contents to its end; nothing for a scalar (as Jackson's skipChildren). By
     * recursive descent rather than token by token: most of a delivery is skipped, and this is where it goes.
     */
    void skipChildren() throws Invalid {
        if (token == JsonToken.START_OBJECT) {
            skipContainer(true);
            token = JsonToken.END_OBJECT;
        } else if (token == JsonToken.START_ARRAY) {
            skipContainer(false);
            token = JsonToken.END_ARRAY;
        } else {
            return;
        }
        tokenStart = pos - 1;
        depth--;
        state = AFTER_VALUE;
    }

    /** The rest of an object or array whose opening bracket is read, up to and including its closing one. */
    private void skipContainer(boolean object) throws Invalid {
        int close = object ? '}' : ']';
        int c = skipSpace();
        if (c == close) {
            pos++;
            return;
        }
        while (true) {
            if (object) {
                nameAndColon(c);
                c = skipSpace();
            }
            skipValue(c);
            c = skipSpace();
            if (c == ',') {
                pos++;
                c = skipSpace();
            } else if (c == close) {
                pos++;
                return;
            } else {
                throw new Invalid(pos);
            }
        }
    }

    private void skipValue(int c) throws Invalid {
        if (c == '{' || c == '[') {
            if (depth == Json.MAX_DEPTH) {
                throw new Invalid(pos);
            }
            pos++;
            depth++;
            skipContainer(c == '{');
            depth--;
        } else {
            value(c); // a scalar: checked and stepped over the same way as when it is read
        }
    }

    /** The current field name when {@link Names} knows it, else {@link Names#OTHER}; no text is made. */
    String currentName() {
        return plain ? names.find(b, textStart, textEnd) : names.find(decode(textChars));
    }

    /** The current field name or scalar as text, whole. */
    String getText() {
        return plain ? new String(b, textStart, textEnd - textStart, StandardCharsets.ISO_8859_1) : decode(textChars);
    }

    /** The first {@code n} UTF-16 units of the current text ({@code n} at most {@link #getTextLength()}). */
    String textPrefix(int n) {
        return plain ? new String(b, textStart, n, StandardCharsets.ISO_8859_1) : decode(n);
    }

    /** The current text's length in UTF-16 units, known without decoding it. */
    int getTextLength() {
        return textChars;
    }

    /** The current token's first byte, counted in the body. */
    int tokenOffset() {
        return tokenStart;
    }

    /** Whether the current token is an integer Java's {@code int} holds (Jackson's {@code NumberType.INT}). */
    boolean isInt() {
        if (token != JsonToken.VALUE_NUMBER_INT || textChars > 11) {
            return false;
        }
        long v = Long.parseLong(getText());
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }

    int getIntValue() {
        return Integer.parseInt(getText());
    }

    /** Steps over white space; returns the next byte (0 to 255), or -1 at the end. */
    private int skipSpace() {
        while (pos < end) {
            int c = b[pos];
            if (c > ' ') {
                return c; // printable ASCII: most tokens follow no space at all
            }
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c & 0xFF;
            }
            pos++;
            // Indentation: the spaces of eight bytes at a time, counted without a borrow.
            while (end - pos >= 8) {
                long notSpace = (long) LONGS.get(b, pos) ^ SPACES;
                if (notSpace != 0) {
                    pos += Long.numberOfTrailingZeros(notSpace) >>> 3;
                    break;
                }
                pos += 8;
            }
        }
        return -1;
    }

    private JsonToken close(int c) throws Invalid {
        if (c != (inObject[depth] ? '}' : ']')) {
            throw new Invalid(pos);
        }
        tokenStart = pos++;
        depth--;
        state = AFTER_VALUE;
        return token = c == '}' ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
    }

    private JsonToken name(int c) throws Invalid {
        tokenStart = pos;
        nameAndColon(c);
        state = AFTER_NAME;
        return token = JsonToken.FIELD_NAME;
    }

    /** A member's name (its first byte {@code c}) and the colon after it. */
    private void nameAndColon(int c) throws Invalid {
        if (c != '"') {
            throw new Invalid(pos);
        }
        string();
        checkNameLength();
        if ((pos < end && b[pos] == ':') || skipSpace() == ':') {
            pos++;
        } else {
            throw new Invalid(pos);
        }
    }

    /**
     * Jackson's limit on a name: {@link Json#MAX_NAME_BYTES} bytes of UTF-8 once unescaped, an escaped character counted
     * as it would be encoded (each half of a surrogate pair as 3). The escapes only ever shorten a name, so a name that
     * short in the body is never counted.
     */
    private void checkNameLength() throws Invalid {
        if (textEnd - textStart <= Json.MAX_NAME_BYTES) {
            return;
        }
        long bytes = 0;
        for (int i = textStart; i < textEnd; ) {
            if (b[i] != '\\') {
                bytes++;
                i++;
            } else if (b[i + 1] != 'u') {
                bytes++;
                i += 2;
            } else {
                int ch = hex(i + 2);
                bytes += ch < 0x80 ? 1 : ch < 0x800 ? 2 : 3;
                i += 6;
            }
        }
        if (bytes > Json.MAX_NAME_BYTES) {
            throw new Invalid(textStart);
        }
    }

    private JsonToken value(int c) throws Invalid {
        tokenStart = pos;
        state = AFTER_VALUE;
        switch (c) {
            case '{', '[' -> {
                if (depth == Json.MAX_DEPTH) {
                    throw new Invalid(pos);
                }
                pos++;
                inObject[++depth] = c == '{';
                state = c == '{' ? OPENED_OBJECT : OPENED_ARRAY;
                return token = c == '{' ? JsonToken.START_OBJECT : JsonToken.START_ARRAY;
            }
            case '"' -> {
                string();
                return token = JsonToken.VALUE_STRING;
            }
            case 't' -> {
                return token = literal("true", JsonToken.VALUE_TRUE);
            }
            case 'f' -> {
                return token = literal("false", JsonToken.VALUE_FALSE);
            }
            case 'n' -> {
                return token = literal("null", JsonToken.VALUE_NULL);
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return token = number();
                }
                throw new Invalid(pos);
            }
        }
    }

    private JsonToken literal(String word, JsonToken t) throws Invalid {
        int n = word.length();
        if (end - pos < n) {
            throw new Invalid(pos);
        }
        for (int k = 1; k < n; k++) {
            if (b[pos + k] != word.charAt(k)) {
                throw new Invalid(pos + k);
            }
        }
        textStart = pos;
        pos += n;
        textEnd = pos;
        textChars = n;
        plain = true;
        return t;
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as Jackson reads it, with its length constraint. */
    private JsonToken number() throws Invalid {
        int i = pos;
        if (b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (i < end && b[i] == '0') {
            i++;
            if (i < end && isDigit(b[i])) {
                throw new Invalid(i); // leading zeros
            }
        } else {
            while (i < end && isDigit(b[i])) {
                i++;
            }
        }
        int intDigits = i - intStart;
        if (intDigits == 0) {
            throw new Invalid(i);
        }
        int fractionDigits = 0;
        int exponentDigits = 0;
        boolean isFloat = false;
        if (i < end && b[i] == '.') {
            isFloat = true;
            int s = ++i;
            while (i < end && isDigit(b[i])) {
                i++;
            }
            fractionDigits = i - s;
            if (fractionDigits == 0) {
                throw new Invalid(i);
            }
        }
        if (i < end && (b[i] | 0x20) == 'e') {
            isFloat = true;
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int s = i;
            while (i < end && isDigit(b[i])) {
                i++;
            }
            exponentDigits = i - s;
            if (exponentDigits == 0) {
                throw new Invalid(i);
            }
        }
        int digits = isFloat ? intDigits + fractionDigits + exponentDigits : intDigits;
        if (digits > MAX_NUMBER_DIGITS) {
            throw new Invalid(pos);
        }
        textStart = pos;
        textEnd = i;
        textChars = i - pos;
        plain = true;
        pos = i;
        return isFloat ? JsonToken.VALUE_NUMBER_FLOAT : JsonToken.VALUE_NUMBER_INT;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Checks the string whose opening quote is at {@code pos} and steps past its closing quote, counting its UTF-16
     * length: escapes as Jackson reads them, no raw control characters, and each UTF-8 lead byte Jackson accepts
     * followed by its continuation bytes (Jackson checks no more than that: not overlong forms, not surrogates).
     */
    private void string() throws Invalid {
        int i = pos + 1;
        int chars = 0;
        boolean ascii = true;
        while (true) {
            // The common case first: printable ASCII, eight bytes at a time while none of them is a quote, a
            // backslash, a control character or a non-ASCII byte (the first flagged byte is exact: a borrow only
            // ever flags bytes above a true one), then byte by byte up to the next byte of interest.
            while (end - i >= 8) {
                long x = (long) LONGS.get(b, i);
                long q = x ^ QUOTES;
                long s = x ^ BACKSLASHES;
                long flags = (((q - ONES) & ~q) | ((s - ONES) & ~s) | (x - SPACES) | x) & HIGHS;
                if (flags != 0) {
                    int k = Long.numberOfTrailingZeros(flags) >>> 3;
                    i += k;
                    chars += k;
                    break;
                }
                i += 8;
                chars += 8;
            }
            while (i < end) {
                int c = b[i];
                if (c < 0x20 || c == '"' || c == '\\') {
                    break;
                }
                i++;
                chars++;
            }
            if (i >= end) {
                throw new Invalid(i);
            }
            int c = b[i] & 0xFF;
            if (c == '"') {
                break;
            }
            ascii = false;
            if (c == '\\') {
                i = escape(i + 1);
                chars++;
                continue;
            }
            if (c < 0x20) {
                throw new Invalid(i);
            }
            int continuation;
            if ((c & 0xE0) == 0xC0) {
                continuation = 1;
                chars++;
            } else if ((c & 0xF0) == 0xE0) {
                continuation = 2;
                chars++;
            } else if ((c & 0xF8) == 0xF0) {
                continuation = 3;
                chars += 2; // a surrogate pair
            } else {
                throw new Invalid(i);
            }
            i++;
            for (int k = 0; k < continuation; k++, i++) {
                if (i >= end || (b[i] & 0xC0) != 0x80) {
                    throw new Invalid(i);
                }
            }
        }
        textStart = pos + 1;
        textEnd = i;
        textChars = chars;
        plain = ascii;
        pos = i + 1;
    }

    /** Checks the escape after a backslash at {@code i - 1}; returns the index after it. */
    private int escape(int i) throws Invalid {
        if (i >= end) {
            throw new Invalid(i);
        }
        switch (b[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 1;
            }
            case 'u' -> {
                if (end - i < 5) {
                    throw new Invalid(i);
                }
                for (int k = 1; k <= 4; k++) {
                    if (Character.digit(b[i + k], 16) < 0) {
                        throw new Invalid(i + k);
                    }
                }
                return i + 5;
            }
            default -> throw new Invalid(i);
        }
    }

    /** The value of four hex digits at {@code i}, already checked by {@link #escape}. */
    private int hex(int i) {
        return Character.digit(b[i], 16) << 12
                | Character.digit(b[i + 1], 16) << 8
                | Character.digit(b[i + 2], 16) << 4
                | Character.digit(b[i + 3], 16);
    }

    /** The first {@code n} UTF-16 units of the current (already checked) text. */
    private String decode(int n) {
        char[] out = new char[n];
        int o = 0;
        int i = textStart;
        while (o < n) {
            int c = b[i] & 0xFF;
            if (c == '\\') {
                int e = b[i + 1];
                i += 2;
                out[o++] = switch (e) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'u' -> {
                        char u = (char) hex(i);
                        i += 4;
                        yield u;
                    }
                    default -> (char) e; // " \ /
                };
            } else if (c < 0x80) {
                out[o++] = (char) c;
                i++;
            } else if ((c & 0xE0) == 0xC0) {
                out[o++] = (char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F));
                i += 2;
            } else if ((c & 0xF0) == 0xE0) {
                out[o++] = (char) (((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                i += 3;
            } else {
                // As Jackson: the code point minus 0x10000, split into a high and a low surrogate. For an over-long
                // form (F0 80 to F0 8F, which it does not refuse) that is negative, and its names add where its
                // values OR: so do these.
                int v = (((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F))
                        - 0x10000;
                out[o++] = (char) (token == JsonToken.FIELD_NAME ? 0xD800 + (v >> 10) : 0xD800 | (v >> 10));
                if (o < n) {
                    out[o++] = (char) (0xDC00 | (v & 0x3FF));
                }
                i += 4;
            }
        }
        return new String(out);
    }

    /**
     * The field names a reader switches on, found from a name's bytes without making a string; every other name reads
     * as {@link #OTHER}.
     */
    static final class Names {

        /** What an unlisted name reads as: no JSON name can be this exact instance. */
        static final String OTHER = new String("\u0000(other)");

        private final byte[][] keys;
        private final String[] values;
        private final int mask;

        private Names(String... names) {
            int size = Integer.highestOneBit(Math.max(4, names.length * 4 - 1)) << 1;
            keys = new byte[size][];
            values = new String[size];
            mask = size - 1;
            for (String n : names) {
                byte[] k = n.getBytes(StandardCharsets.UTF_8);
                int slot = hash(k, 0, k.length) & mask;
                while (keys[slot] != null) {
                    if (values[slot].equals(n)) {
                        throw new IllegalArgumentException("listed twice: " + n);
                    }
                    slot = (slot + 1) & mask;
                }
                keys[slot] = k;
                values[slot] = n.intern(); // the instance of the switch labels: equals() ends at ==
            }
        }

        /** The names, separated by spaces. */
        static Names of(String names) {
            return new Names(names.split(" "));
        }

        String find(byte[] b, int from, int to) {
            int slot = hash(b, from, to) & mask;
            int len = to - from;
            while (keys[slot] != null) {
                byte[] k = keys[slot];
                if (k.length == len && Arrays.equals(k, 0, len, b, from, to)) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            return OTHER;
        }

        String find(String name) {
            byte[] k = name.getBytes(StandardCharsets.UTF_8);
            return find(k, 0, k.length);
        }

        /** Length and three bytes: names are few and short, and a miss (most names) must cost little. */
        private static int hash(byte[] b, int from, int to) {
            int len = to - from;
            if (len == 0) {
                return 0;
            }
            int h = len * 0x9E3779B1 ^ b[from] * 31 ^ b[from + len / 2] * 961 ^ b[to - 1] << 7;
            return h ^ (h >>> 16);
        }
    }
}
