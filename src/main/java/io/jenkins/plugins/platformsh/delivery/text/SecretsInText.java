package io.jenkins.plugins.platformsh.delivery.text;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the secrets that hide inside a text rather than behind a field name: the user information of a URL
 * ({@code https://user:pass@host}), secret query or fragment parameters ({@code ?token=...}, {@code &api_key=...},
 * {@code #access_token=...}) and the credentials of an {@code Authorization:} header written out
 * ({@code Authorization: Basic dXNlcjpwYXNz}). The one rule for every string that leaves the delivery package: the
 * redacted payload applies it to each string value it keeps, and an {@code Activity} to each of its fields, so that
 * variables, causes, build records and the deliveries page never carry what it finds. Here, at the bottom, so that
 * both can use it.
 *
 * <p>Hand-written scans, linear in the text whatever it holds: a regular expression over a hostile 10 MiB string
 * is where backtracking hides.
 */
public final class SecretsInText {

    /** What a secret is replaced by. */
    public static final String REDACTED = "<redacted>";

    /** Names whose whole value is a secret (or may hold one); compared in lower case. */
    public static final Set<String> SECRET_NAMES = Set.of(
            "basic_auth", "headers", "password", "passwd", "secret", "token", "key", "credentials", "authorization");

    /** A name like {@code api_key}, {@code routing_key}, {@code auth_token}, {@code client_secret}... */
    private static final List<String> SECRET_SUFFIXES =
            List.of("_key", "_token", "_secret", "_password", "_passwd", "_credentials");

    /** Parameter names that say "secret" without the suffixes {@link #isSecretName} knows. */
    private static final Set<String> PARAMETERS =
            Set.of("apikey", "api-key", "access-token", "auth", "pwd", "sig", "signature");

    /** The header whose value is a credential, wherever it is written out (a curl line, a log excerpt). */
    private static final String AUTHORIZATION = "authorization";

    /** A URL scheme is short: bounding the look-back keeps the scan linear. */
    private static final int MAX_SCHEME = 32;

    /** So is a parameter name. */
    private static final int MAX_NAME = 64;

    private SecretsInText() {}

    /** Whether a field's (or parameter's) whole value is a secret; case-insensitive, without allocating. */
    public static boolean isSecretName(String field) {
        for (String name : SECRET_NAMES) {
            if (name.equalsIgnoreCase(field)) {
                return true;
            }
        }
        for (String suffix : SECRET_SUFFIXES) {
            if (field.length() > suffix.length()
                    && field.regionMatches(true, field.length() - suffix.length(), suffix, 0, suffix.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A cheap first look at decoded text: without {@code =}, {@code @} and {@code ://}, or {@code authorization:},
     * there is nothing to find.
     */
    public static boolean mayHold(char[] text, int offset, int length) {
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
            } else if (c == ':' && endsWithAuthorization(text, offset, i)) {
                return true;
            }
        }
        return at && scheme;
    }

    /** Whether {@code authorization} (its quote closed, as in JSON) comes right before the colon. */
    private static boolean endsWithAuthorization(char[] text, int offset, int colon) {
        int nameEnd = colon > offset && (text[colon - 1] == '"' || text[colon - 1] == '\'') ? colon - 1 : colon;
        int from = nameEnd - AUTHORIZATION.length();
        if (from < offset) {
            return false;
        }
        for (int k = 0; k < AUTHORIZATION.length(); k++) {
            if (Character.toLowerCase(text[from + k]) != AUTHORIZATION.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The same look at a string, without copying it; {@code null} holds nothing. */
    public static boolean mayHold(String text) {
        if (text == null) {
            return false;
        }
        boolean at = false;
        boolean scheme = false;
        int end = text.length();
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                return true;
            }
            if (c == '@') {
                at = true;
            } else if (c == ':') {
                if (text.startsWith("//", i + 1)) {
                    scheme = true;
                } else if (endsWithAuthorization(text, i)) {
                    return true;
                }
            }
        }
        return at && scheme;
    }

    /**
     * The text with each secret replaced by {@link #REDACTED}; the same instance when there is none (and for
     * {@code null}). Applying it twice changes nothing more.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
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
            } else if (c == ':' && endsWithAuthorization(text, i)) {
                from = credentialsStart(text, i + 1);
                to = from < 0 ? -1 : tokenEnd(text, from);
            }
            if (to > from && from >= 0 && !text.startsWith(REDACTED, from)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, from).append(REDACTED);
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
        return isSecretName(name) || PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static boolean endsWithAuthorization(String text, int colon) {
        int nameEnd =
                colon > 0 && (text.charAt(colon - 1) == '"' || text.charAt(colon - 1) == '\'') ? colon - 1 : colon;
        int from = nameEnd - AUTHORIZATION.length();
        return from >= 0 && text.regionMatches(true, from, AUTHORIZATION, 0, AUTHORIZATION.length());
    }

    /**
     * Where the credentials of an {@code Authorization:} value start: after blanks and an opening quote, and after its
     * scheme word
     * ({@code Basic}, {@code Bearer}, {@code token}...) when one comes first; -1 when the value is empty.
     */
    private static int credentialsStart(String text, int from) {
        int k = skipBlanks(text, from);
        if (k < text.length() && (text.charAt(k) == '"' || text.charAt(k) == '\'')) {
            k++; // the value's opening quote, as in JSON
        }
        int word = k;
        while (word < text.length() && isAsciiLetter(text.charAt(word))) {
            word++;
        }
        if (word > k && word < text.length() && (text.charAt(word) == ' ' || text.charAt(word) == '\t')) {
            int after = skipBlanks(text, word);
            if (text.startsWith(REDACTED, after)) {
                return after; // redacted already
            }
            if (after < text.length() && !endsAValue(text.charAt(after))) {
                k = after; // "Basic xyz": the scheme stays, xyz goes
            }
        }
        return k < text.length() && !endsAValue(text.charAt(k)) ? k : -1;
    }

    private static int skipBlanks(String text, int from) {
        int k = from;
        while (k < text.length() && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
            k++;
        }
        return k;
    }

    /** A credential runs to the next blank, quote or markup: {@code Digest} parameters after it stay. */
    private static int tokenEnd(String text, int from) {
        int k = from;
        while (k < text.length() && !endsAValue(text.charAt(k)) && text.charAt(k) != ',') {
            k++;
        }
        return k;
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
