package io.jenkins.plugins.platformsh.delivery.verify;

import java.util.Base64;

/** Base64 decoding that accepts both the URL-safe and the standard alphabet, with or without padding. */
final class Base64Lenient {

    private Base64Lenient() {}

    /** The decoded bytes, or null if the text is not base64 in either alphabet. */
    static byte[] decode(String text) {
        if (text == null) {
            return null;
        }
        String s = text.replace('+', '-').replace('/', '_');
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        s = s.substring(0, end);
        if (s.length() % 4 == 1) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
