/**
 * Receiving a delivery: the request as the endpoint hands it over ({@code DeliveryRequest}), its body read within
 * the size limit before anything else is spent on it ({@code BodyReader}), and the administrator's settings that
 * bound a delivery ({@code DeliverySettings}). Uses only {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.receive;
