package io.jenkins.plugins.platformsh.delivery.receive;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** An HTTP request as the endpoint received it, before anything was read from its body. */
public final class DeliveryRequest {

    private final String method;
    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> query;
    private final String remoteAddress;
    private final long contentLength;
    private final InputStream body;

    private DeliveryRequest(Builder b) {
        this.method = b.method;
        this.headers = freeze(b.headers);
        this.query = freeze(b.query);
        this.remoteAddress = b.remoteAddress;
        this.contentLength = b.contentLength;
        this.body = b.body;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String method() {
        return method;
    }

    /** The first value of a header, by case-insensitive name, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** How many values the header has; a repeated signature header is refused rather than guessed at. */
    public int headerCount(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? 0 : values.size();
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The declared Content-Length, or -1 when unknown. */
    public long contentLength() {
        return contentLength;
    }

    public InputStream body() {
        return body;
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> m) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** Collects the parts of a request; the adapter fills it from the servlet request. */
    public static final class Builder {
        private String method = "POST";
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private String remoteAddress = "";
        private long contentLength = -1;
        private InputStream body = InputStream.nullInputStream();

        private Builder() {}

        public Builder method(String method) {
            this.method = Objects.requireNonNullElse(method, "");
            return this;
        }

        public Builder header(String name, String value) {
            if (name != null && value != null) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(value);
            }
            return this;
        }

        public Builder query(String name, String value) {
            if (name != null && value != null) {
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            return this;
        }

        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = Objects.requireNonNullElse(remoteAddress, "");
            return this;
        }

        public Builder contentLength(long contentLength) {
            this.contentLength = contentLength < 0 ? -1 : contentLength;
            return this;
        }

        public Builder body(InputStream body) {
            this.body = Objects.requireNonNullElse(body, InputStream.nullInputStream());
            return this;
        }

        /** A body given as bytes, for tests, dry runs and benchmarks. */
        public Builder body(byte[] body) {
            this.contentLength = body.length;
            this.body = new java.io.ByteArrayInputStream(body);
            return this;
        }

        public DeliveryRequest build() {
            return new DeliveryRequest(this);
        }
    }
}
