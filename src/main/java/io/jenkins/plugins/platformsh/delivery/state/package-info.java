/**
 * What survives a restart: the de-duplication memory and the delivery log written to files off the request path
 * ({@code StateStore}) in a format read back within today's bounds ({@code StateFormat}). Uses {@code log} and the
 * stages below it; only {@code DeliveryService}'s owner uses it.
 */
package io.jenkins.plugins.platformsh.delivery.state;
