package io.hbwatch.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An {@link HttpServer} that hands every call to a real one and adds a filter to each context
 * created on it. Jolokia's server creates its context itself and does not expose it; passing this
 * wrapper is how the agent's filters get onto that context through public API only.
 */
final class HookedHttpServer extends HttpServer {
    private final HttpServer delegate;
    private final List<Filter> filters;

    /** @param filters added in this order to each context */
    HookedHttpServer(HttpServer delegate, List<Filter> filters) {
        this.delegate = delegate;
        this.filters = filters;
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return hook(delegate.createContext(path, handler));
    }

    @Override
    public HttpContext createContext(String path) {
        return hook(delegate.createContext(path));
    }

    private HttpContext hook(HttpContext context) {
        context.getFilters().addAll(filters);
        return context;
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        delegate.bind(addr, backlog);
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        delegate.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return delegate.getExecutor();
    }

    @Override
    public void stop(int delaySeconds) {
        delegate.stop(delaySeconds);
    }

    @Override
    public void removeContext(String path) {
        delegate.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        delegate.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return delegate.getAddress();
    }
}
