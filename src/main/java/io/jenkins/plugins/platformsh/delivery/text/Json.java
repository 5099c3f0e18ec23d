package io.jenkins.plugins.platformsh.delivery.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/** The one JsonFactory of the package, with limits that hold whatever Jackson's defaults become. */
public final class Json {

    /** Real payloads nest about a dozen levels; this leaves room while keeping hostile nesting cheap to refuse. */
    public static final int MAX_DEPTH = 200;

    /** Jackson's own default, said here so that the body's reader can keep to it too (in UTF-8 bytes, unescaped). */
    public static final int MAX_NAME_BYTES = 50_000;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNameLength(MAX_NAME_BYTES)
                    .maxNumberLength(1000)
                    .maxStringLength(64 * 1024 * 1024)
                    .build())
            .build();

    private Json() {}
}
