package io.hbwatch.agent.http;

import org.jolokia.server.core.request.JolokiaRequest;
import org.jolokia.server.core.service.request.AbstractRequestHandler;

/**
 * Answers every proxy request (one with a {@code target}, asking Jolokia to forward it over
 * JSR-160 to another JVM) with 403. The forwarding handler is not even shipped, but without this
 * Jolokia would quietly serve such a request from the local MBeans instead, which hides the
 * refusal from the client. Ordered before the local handler.
 */
final class ProxyRefusal extends AbstractRequestHandler {
    ProxyRefusal() {
        super("hbwatch-proxy-refusal", 1);
    }

    @Override
    public boolean canHandle(JolokiaRequest request) {
        return request.getOption("target") != null || request.getOption("targetId") != null;
    }

    @Override
    public <R extends JolokiaRequest> Object handleRequest(R request, Object previousResult) {
        throw new SecurityException("proxy requests (JSR-160 forwarding) are not allowed by hbwatch's Jolokia");
    }
}
