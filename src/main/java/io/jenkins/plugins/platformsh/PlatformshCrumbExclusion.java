package io.jenkins.plugins.platformsh;

import hudson.Extension;
import hudson.security.csrf.CrumbExclusion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets Platform.sh POST to the webhook endpoint without a crumb: the sender cannot obtain one, and the delivery is
 * authenticated by its signature instead. Only the endpoint's own path is excluded; every other path keeps CSRF
 * protection.
 */
@Extension
public class PlatformshCrumbExclusion extends CrumbExclusion {

    private static final String PATH = "/" + PlatformshWebhookEndpoint.URL_NAME;

    @Override
    public boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String pathInfo = request.getPathInfo();
        if (pathInfo != null && (pathInfo.equals(PATH) || pathInfo.startsWith(PATH + "/"))) {
            chain.doFilter(request, response);
            return true;
        }
        return false;
    }
}
