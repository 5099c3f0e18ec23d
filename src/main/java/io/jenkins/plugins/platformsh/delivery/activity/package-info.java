/**
 * Reading a delivery: the model of one Platform.sh activity ({@code Activity}), its streaming, bounded parser
 * ({@code ActivityParser}) over a tokenizer of our own that accepts what Jackson accepts and skips cheaply what is not
 * read ({@code JsonCursor}, with Jackson's words for a refusal in {@code InvalidJson}), which environment an activity
 * is about ({@code EnvironmentChoice}), and the short reason a body is refused ({@code MalformedDeliveryException}).
 * Uses {@code verify} (for digests) and {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.activity;
