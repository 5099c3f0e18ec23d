package io.jenkins.plugins.platformsh.delivery.redact;

import java.nio.charset.StandardCharsets;

/** JSON string literals written by hand, for the few strings {@link Redactor} has to re-encode. */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /**
     * The quoted JSON literal of {@code s}, in ASCII: everything outside printable ASCII is a {@code \\uXXXX} escape,
     * so that even a lone surrogate (legal in a JSON escape, not in UTF-8) comes out as it went in, and valid.
     */
    static byte[] quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append("\\u")
                        .append(HEX[c >> 12 & 0xf])
                        .append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return b.append('"').toString().getBytes(StandardCharsets.US_ASCII);
    }
}
