package io.github.rosettadl.datasets.download;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one response body into the {@code .part} file: appended after the bytes already there
 * for a matching 206, from the start for a 200, and not at all for any other status. Bytes go to
 * disk as they arrive, so a cut keeps them for the next, resumed try. It also remembers when the
 * last bytes came, for the stall time-out.
 */
final class PartFileWriter implements HttpResponse.BodyHandler<Long> {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final FileChannel channel;
    private final long alreadyHave;
    private final String name;
    private final ProgressSink progress;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private volatile boolean started;
    private long expectedSize = -1;
    private volatile long written;
    private volatile boolean resumed;
    private volatile boolean alreadyComplete;
    private volatile IOException writeFailure;

    PartFileWriter(FileChannel channel, long alreadyHave, String name, ProgressSink progress) {
        this.channel = channel;
        this.alreadyHave = alreadyHave;
        this.name = name;
        this.progress = progress;
    }

    @Override
    public BodySubscriber<Long> apply(ResponseInfo info) {
        lastActivityNanos = System.nanoTime();
        long length = info.headers().firstValueAsLong("content-length").orElse(-1);
        try {
            if (info.statusCode() == 206) {
                Optional<long[]> range = contentRange(info);
                if (range.isEmpty() || range.get()[0] != alreadyHave) {
                    // a range we did not ask for: start over rather than splice wrong bytes
                    channel.truncate(0);
                    return BodySubscribers.replacing(-1L);
                }
                channel.position(alreadyHave);
                written = alreadyHave;
                expectedSize = range.get()[1];
                resumed = alreadyHave > 0;
            } else if (info.statusCode() == 200) {
                // the server sent the whole file (it ignored or never got a Range)
                channel.truncate(0);
                channel.position(0);
                written = 0;
                expectedSize = length;
            } else {
                // 416 with "bytes */SIZE" of exactly what we have: an earlier run got it all
                alreadyComplete = info.statusCode() == 416 && alreadyHave > 0
                        && info.headers().firstValue("content-range").map(UNSATISFIED_RANGE::matcher)
                                .filter(Matcher::matches).map(m -> Long.parseLong(m.group(1)) == alreadyHave)
                                .orElse(false);
                return BodySubscribers.replacing(-1L);
            }
        } catch (IOException e) {
            // the local file, not the server: remembered so the download stops instead of retrying
            writeFailure = e;
            return BodySubscribers.replacing(-1L);
        }
        started = true;
        progress.start(name, written, expectedSize);
        return new Writer();
    }

    /** Parses {@code Content-Range: bytes START-END/TOTAL} into {start, total or end + 1}. */
    private static Optional<long[]> contentRange(ResponseInfo info) {
        Optional<String> header = info.headers().firstValue("content-range");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = CONTENT_RANGE.matcher(header.get().trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long start = Long.parseLong(m.group(1));
        long total = "*".equals(m.group(3)) ? Long.parseLong(m.group(2)) + 1 : Long.parseLong(m.group(3));
        return Optional.of(new long[] {start, total});
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** The full size the server announced, or -1. */
    long expectedSize() {
        return expectedSize;
    }

    /** Bytes of the file on disk: those kept from before plus those written by this response. */
    long bytesWritten() {
        return written;
    }

    /** Whether a 200 or a matching 206 body was written to the file. */
    boolean started() {
        return started;
    }

    /** Whether the body continued bytes already in the file (a 206 after an earlier try or run). */
    boolean resumed() {
        return resumed;
    }

    /** Whether the server answered 416 naming the very size of the file already on disk: nothing was missing. */
    boolean alreadyComplete() {
        return alreadyComplete;
    }

    /** The failure to write the local file, or null: a full disk or a permission, not the server's fault. */
    IOException writeFailure() {
        return writeFailure;
    }

    /** Stops a stalled transfer; the client then closes the connection. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    private final class Writer implements BodySubscriber<Long> {

        private final CompletableFuture<Long> result = new CompletableFuture<>();

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer buffer : buffers) {
                    while (buffer.hasRemaining()) {
                        written += channel.write(buffer);
                    }
                }
            } catch (IOException e) {
                writeFailure = e;
                subscription.cancel();
                result.completeExceptionally(e);
                return;
            }
            lastActivityNanos = System.nanoTime();
            progress.update(written);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(written);
        }
    }
}
