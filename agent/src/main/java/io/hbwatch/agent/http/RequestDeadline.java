package io.hbwatch.agent.http;

import io.hbwatch.agent.util.HbThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK server's executor, with a deadline on each exchange: one that still runs after {@code
 * timeoutMs} (a client that sends half its headers and stops, a body shorter than its {@code
 * Content-Length}, a client that does not read its answer) has its thread interrupted, which
 * closes the connection's channel under the blocked read or write (a {@code SocketChannel} is
 * interruptible) and frees the thread for the next request.
 *
 * <p>Why not the JDK's own limits: {@code sun.net.httpserver.maxReqTime} and {@code maxRspTime}
 * are read once for the whole JVM (set in someone else's JVM they would change the application's
 * own servers, and do nothing if it started one first), and both default to forever. Without a
 * deadline, {@code jolokiaThreads} slow clients would stop Jolokia for good.
 *
 * <p>The watch runs on one daemon {@code hbwatch-jolokia-deadline-1} thread, started with the
 * first exchange and ended after a minute without any. Thread-safe.
 */
final class RequestDeadline implements Executor {
    private final ThreadPoolExecutor pool;
    private final long timeoutMs;
    private final ScheduledThreadPoolExecutor timer;

    /** @param timeoutMs longest an exchange may take, from its first byte read to its last written */
    RequestDeadline(ThreadPoolExecutor pool, long timeoutMs) {
        this.pool = pool;
        this.timeoutMs = timeoutMs;
        this.timer = new ScheduledThreadPoolExecutor(1, HbThreads.factory("jolokia-deadline"));
        timer.setKeepAliveTime(60, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable exchange) {
        pool.execute(new Timed(exchange));
    }

    /** Stops the watch and the pool; in-flight exchanges are interrupted. */
    void shutdownNow() {
        timer.shutdownNow();
        pool.shutdownNow();
    }

    /** One exchange and the thread running it, interrupted only while it is still this exchange's. */
    private final class Timed implements Runnable {
        private final Runnable exchange;
        private Thread runner;
        private boolean done;

        Timed(Runnable exchange) {
            this.exchange = exchange;
        }

        @Override
        public void run() {
            synchronized (this) {
                runner = Thread.currentThread();
            }
            ScheduledFuture<?> watch;
            try {
                watch = timer.schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return; // closing: the server's stop closes the connection
            }
            try {
                exchange.run();
            } finally {
                watch.cancel(false);
                synchronized (this) {
                    done = true;
                    // A deadline that struck as the exchange ended must not reach the next one.
                    Thread.interrupted();
                }
            }
        }

        private synchronized void expire() {
            if (!done) {
                runner.interrupt();
            }
        }
    }
}
