package io.jenkins.plugins.platformsh.delivery.redact;

import java.util.Locale;
import java.util.Set;

/**
 * Finds the secrets that hide inside a text rather than behind a field name: the user information of a URL
 * ({@code https://user:pass@host}) and secret query or fragment parameters ({@code ?token=...}, {@code &api_key=...},
 * {@code #access_token=...}). Used by {@link Redactor} on every string value it keeps.
 *
 * <p>Hand-written scans, linear in the text whatever it holds: a regular expression over a hostile 10 MiB string
 * is where backtracking hides.
 */
final class SecretsInText {

    /** Parameter names that say "secret" without the suffixes {@link Redactor#isSecret} knows. */
    private static final Set<String> PARAMETERS =
            Set.of("apikey", "api-key", "access-token", "auth", "pwd", "sig", "signature");

    /** A URL scheme is short: bounding the look-back keeps the scan linear. */
    private static final int MAX_SCHEME = 32;

    /** So is a parameter name. */
    private static final int MAX_NAME = 64;

    private SecretsInText() {}

    /** A cheap first look at decoded text: without {@code =}, or {@code @} and {@code ://}, there is nothing to find. */
    static boolean mayHold(char[] text, int offset, int length) {
        boolean at = false;
        boolean scheme = false;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = text[i];
            if (c == '=') {
                return true;
            }
            if (c == '@') {
                at = true;
            } else if (c == ':' && i + 2 < end && text[i + 1] == '/' && text[i + 2] == '/') {
                scheme = true;
            }
        }
        return at && scheme;
    }

    /** The text with each secret replaced by {@link Redactor#REDACTED}; the same instance when there is none. */
    static String redact(String text) {
        StringBuilder out = null;
        int copied = 0; // text before this index is in out already
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int from = -1;
            int to = -1;
            if (c == ':' && text.startsWith("//", i + 1) && hasScheme(text, i)) {
                from = i + 3;
                to = userInfoEnd(text, from);
            } else if (c == '=' && i > 0) {
                int nameStart = parameterStart(text, i);
                if (nameStart >= 0 && isSecretParameter(text.substring(nameStart, i))) {
                    from = i + 1;
                    to = valueEnd(text, from);
                }
            }
            if (to > from && from >= 0 && !text.startsWith(Redactor.REDACTED, from)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, from).append(Redactor.REDACTED);
                copied = to;
                i = to;
            } else {
                i++;
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Whether {@code ://} at {@code colon} follows a scheme: a letter, then letters, digits, {@code + - .}. */
    private static boolean hasScheme(String text, int colon) {
        int k = colon - 1;
        int stop = Math.max(0, colon - MAX_SCHEME);
        int first = -1;
        while (k >= stop && isSchemeChar(text.charAt(k))) {
            if (isAsciiLetter(text.charAt(k))) {
                first = k;
            }
            k--;
        }
        return first >= 0;
    }

    /**
     * The end of the user information that starts at {@code from}: the last {@code @} before the host's end (an
     * unescaped {@code @} in a password is common enough), or -1 when there is none (a plain {@code https://host/}).
     */
    private static int userInfoEnd(String text, int from) {
        int at = -1;
        for (int k = from; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '@') {
                at = k;
            } else if (c == '/' || c == '?' || c == '#' || endsAValue(c)) {
                break;
            }
        }
        return at;
    }

    /** Where the parameter name before {@code =} at {@code eq} starts, if a {@code ? & ; #} comes right before it. */
    private static int parameterStart(String text, int eq) {
        int k = eq - 1;
        int stop = Math.max(0, eq - MAX_NAME);
        while (k >= stop && isNameChar(text.charAt(k))) {
            k--;
        }
        if (k == eq - 1 || k < 0) {
            return -1; // no name, or a name at the very start: prose, not a query
        }
        char before = text.charAt(k);
        return before == '?' || before == '&' || before == ';' || before == '#' ? k + 1 : -1;
    }

    private static boolean isSecretParameter(String name) {
        return Redactor.isSecret(name) || PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** A value runs to {@code &} or {@code #}, not to {@code ;}: a {@code ;} may be part of the secret. */
    private static int valueEnd(String text, int from) {
        int k = from;
        while (k < text.length() && text.charAt(k) != '&' && text.charAt(k) != '#' && !endsAValue(text.charAt(k))) {
            k++;
        }
        return k;
    }

    /** Characters that cannot be inside a URL as written in text, HTML or a shell line. */
    private static boolean endsAValue(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`';
    }

    private static boolean isSchemeChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '[' || c == ']';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
