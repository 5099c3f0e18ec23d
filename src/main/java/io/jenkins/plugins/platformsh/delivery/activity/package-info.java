/**
 * Reading a delivery: the model of one Platform.sh activity ({@code Activity}), its streaming, bounded parser
 * ({@code ActivityParser}), which environment an activity is about ({@code EnvironmentChoice}), and the short reason
 * a body is refused ({@code MalformedDeliveryException}). Uses {@code verify} (for digests) and {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.activity;
