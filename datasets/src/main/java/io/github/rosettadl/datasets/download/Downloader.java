package io.github.rosettadl.datasets.download;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches one URL into one file with the JDK {@link HttpClient}: bytes go to {@code NAME.part}
 * beside the target, a cut connection is resumed with a {@code Range} request, failures that may
 * pass are retried with a doubling back-off, and only a complete file that passes its check is
 * renamed into place, atomically. A failed download leaves neither the target nor the part.
 */
public final class Downloader {

    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
    private static final long POLL_MILLIS = 50;

    private final HttpClient client;
    private final DownloadSettings settings;
    private final ProgressSink progress;

    /** Checks a completely downloaded file before it is renamed into place. */
    @FunctionalInterface
    public interface Verifier {
        /**
         * Checks the file.
         *
         * @param file the downloaded bytes, still under their temporary name
         * @throws Exception when the file is not the expected one; the message says why
         */
        void verify(Path file) throws Exception;
    }

    /**
     * Creates a downloader.
     *
     * @param settings time-outs, tries and back-off
     * @param progress where to report bytes as they arrive
     */
    public Downloader(DownloadSettings settings, ProgressSink progress) {
        this.settings = settings;
        this.progress = progress;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                // honours -Dhttps.proxyHost and friends; without this the client never uses a proxy
                .proxy(ProxySelector.getDefault())
                .build();
    }

    /**
     * Downloads {@code url} to {@code target}, replacing nothing until the new file is complete
     * and verified. A {@code .part} file left by an interrupted earlier run is resumed.
     *
     * @param url where to fetch from
     * @param target where the verified file ends up; its folder must exist and be writable
     * @param verifier the check the complete file must pass
     * @throws DownloadException when every try failed or the file failed its check
     */
    public void download(URI url, Path target, Verifier verifier) throws DownloadException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        AttemptFailure last = null;
        try {
            for (int attempt = 1; attempt <= settings.attemptsPerMirror(); attempt++) {
                if (attempt > 1) {
                    pause(url, settings.backoffBefore(attempt), last);
                }
                try {
                    fetchOnce(url, part, target.getFileName().toString());
                    last = null;
                    break;
                } catch (AttemptFailure failure) {
                    last = failure;
                    LOG.info("{} (try {} of {}): {}", url, attempt, settings.attemptsPerMirror(), failure.getMessage());
                    if (!failure.retryable) {
                        break;
                    }
                }
            }
            if (last != null) {
                throw new DownloadException(url, last.getMessage(), last.getCause());
            }
            check(url, part, verifier);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (e instanceof DownloadException) {
                throw (DownloadException) e;
            }
            throw new DownloadException(url, "could not write " + part + ": " + e, e);
        } finally {
            deleteQuietly(part);
        }
    }

    private static void check(URI url, Path part, Verifier verifier) throws DownloadException {
        try {
            verifier.verify(part);
        } catch (Exception e) {
            throw new DownloadException(url, e.getMessage(), e);
        }
    }

    private void fetchOnce(URI url, Path part, String name) throws AttemptFailure, IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(settings.stallTimeout()).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            PartFileWriter writer = new PartFileWriter(channel, have, name, progress);
            try {
                HttpResponse<Long> response = await(client.sendAsync(request.build(), writer), writer);
                judge(response, writer, channel.size(), part);
            } finally {
                if (writer.started()) {
                    progress.finish(channel.size());
                }
            }
        }
    }

    private <T> T await(CompletableFuture<T> future, PartFileWriter writer) throws AttemptFailure {
        long stallNanos = settings.stallTimeout().toNanos();
        while (true) {
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - writer.lastActivityNanos() > stallNanos) {
                    writer.cancel();
                    future.cancel(true);
                    throw new AttemptFailure("no data for " + seconds(settings.stallTimeout())
                            + " (stall time-out)", true, null);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String what = describe(cause);
                if (writer.started()) {
                    long expected = writer.expectedSize();
                    what = "connection lost after " + writer.bytesWritten() + " of "
                            + (expected >= 0 ? expected : "?") + " bytes (" + what + ")";
                }
                throw new AttemptFailure(what, true, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                throw new AttemptFailure("interrupted", false, e);
            }
        }
    }

    private static void judge(HttpResponse<Long> response, PartFileWriter writer, long size, Path part)
            throws AttemptFailure, IOException {
        int status = response.statusCode();
        if (status == 416) {
            // our part is at or past the end of what the server has: start over
            Files.deleteIfExists(part);
            throw new AttemptFailure("HTTP 416 (range not satisfiable); starting over", true, null);
        }
        if (status != 200 && status != 206) {
            boolean retryable = status >= 500 || status == 408 || status == 429;
            throw new AttemptFailure("HTTP " + status + statusText(status), retryable, null);
        }
        if (!writer.started()) {
            throw new AttemptFailure("HTTP 206 for a range that was not asked for; starting over", true, null);
        }
        long expected = writer.expectedSize();
        if (expected >= 0 && size != expected) {
            throw new AttemptFailure("body ended after " + size + " of " + expected + " bytes", true, null);
        }
    }

    private static String statusText(int status) {
        switch (status) {
            case 403: return " (forbidden)";
            case 404: return " (not found)";
            case 410: return " (gone)";
            case 429: return " (too many requests)";
            case 500: return " (server error)";
            case 502: return " (bad gateway)";
            case 503: return " (service unavailable)";
            case 504: return " (gateway time-out)";
            default: return "";
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void pause(URI url, Duration wait, AttemptFailure last) throws DownloadException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException(url, "interrupted while waiting to retry after: "
                    + (last == null ? "?" : last.getMessage()), e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (!Files.isDirectory(path.getParent())) {
            // nothing can have been written where there is no folder
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", path, e.toString());
        }
    }

    /** One try failed; {@code retryable} says whether the same URL may work on the next. */
    private static final class AttemptFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;

        AttemptFailure(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }
    }
}
