package io.hbwatch.monitor.ping;

/**
 * The outcome of one echo request. Immutable.
 *
 * @param answered whether the host answered in time
 * @param rttNanos the round trip when answered, else the time spent waiting
 * @param failure why there was no answer ("no echo within 1000 ms", "network is unreachable"), null
 *     when answered
 */
public record Echo(boolean answered, long rttNanos, String failure) {
    public static Echo answer(long rttNanos) {
        return new Echo(true, rttNanos, null);
    }

    public static Echo miss(long waitedNanos, String failure) {
        return new Echo(false, waitedNanos, failure);
    }
}
