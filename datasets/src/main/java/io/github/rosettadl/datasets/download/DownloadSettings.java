package io.github.rosettadl.datasets.download;

import java.time.Duration;

/**
 * How patient a download is.
 *
 * @param connectTimeout how long to wait for a connection
 * @param stallTimeout how long to wait for the response headers, and then for each next piece of
 *     the body, before the attempt counts as failed
 * @param attemptsPerMirror tries per mirror on failures that may pass (time-outs, cuts, HTTP 5xx,
 *     408, 429); a 404 or a wrong checksum moves on to the next mirror at once
 * @param firstBackoff the wait before the second try; it doubles for each try after that
 */
public record DownloadSettings(
        Duration connectTimeout, Duration stallTimeout, int attemptsPerMirror, Duration firstBackoff) {

    /** Patient enough for a slow home line: 20 s connect and stall time-outs, 4 tries, 1 s back-off. */
    public static final DownloadSettings DEFAULTS =
            new DownloadSettings(Duration.ofSeconds(20), Duration.ofSeconds(20), 4, Duration.ofSeconds(1));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a non-positive time-out or try count, or a negative back-off
     */
    public DownloadSettings {
        if (connectTimeout.isNegative() || connectTimeout.isZero()
                || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("time-outs must be positive, got connect "
                    + connectTimeout + " and stall " + stallTimeout);
        }
        if (attemptsPerMirror < 1) {
            throw new IllegalArgumentException("attemptsPerMirror must be at least 1, got " + attemptsPerMirror);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative, got " + firstBackoff);
        }
    }

    /**
     * The wait before a given try.
     *
     * @param attempt the try about to start, 2 for the first retry
     * @return {@code firstBackoff * 2^(attempt - 2)}, capped at one minute
     */
    public Duration backoffBefore(int attempt) {
        int doublings = Math.min(Math.max(attempt - 2, 0), 16);
        Duration wait = firstBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : wait;
    }
}
