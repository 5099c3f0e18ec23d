/**
 * The endpoint Platform.sh posts to ({@code PlatformshWebhookEndpoint}) and its crumb exclusion: it turns a request
 * into a {@code DeliveryRequest}, asks {@code DeliveryService} for the outcome, queues what it lists and writes the
 * answer. The other sub-packages adapt Jenkins by concern; {@code delivery} holds every decision.
 */
package io.jenkins.plugins.platformsh;
