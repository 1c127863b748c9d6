package io.github.rosettadl.datasets.download;

import io.github.rosettadl.datasets.DatasetStorageException;
import io.github.rosettadl.datasets.files.FileSystemErrors;

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
 * renamed into place, atomically. A failed download leaves neither the target nor the part, with
 * one exception: a complete file whose check failed for want of disk space or permission is kept,
 * and the next run, told by the server's 416 that nothing is missing, checks it again. A local
 * disk that cannot take the file is reported as such, never as a failing server.
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
     * and verified. A {@code .part} file left by an interrupted earlier run is resumed. A resumed
     * file that cannot be finished (the server's answer to the {@code Range} does not continue it,
     * or the whole fails its check) is downloaded once more from the first byte before the URL is
     * given up: the old bytes may belong to another version of the file.
     *
     * @param url where to fetch from
     * @param target where the verified file ends up; its folder must exist and be writable
     * @param verifier the check the complete file must pass; a {@link DatasetStorageException} from
     *     it is passed on, since the machine failed, not the download, and the part is then kept
     * @throws DownloadException when every try failed or the file failed its check
     * @throws DatasetStorageException when the file cannot be written here (a full disk, a
     *     permission, a read-only file system): another mirror would not help
     */
    public void download(URI url, Path target, Verifier verifier) throws DownloadException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        FreshStart freshStart = new FreshStart();
        boolean keepPart = false;
        try {
            while (true) {
                boolean resumed = fetch(url, part, target.getFileName().toString(), freshStart);
                try {
                    verifier.verify(part);
                    break;
                } catch (DatasetStorageException e) {
                    // every byte arrived, the disk failed the check: keep them for the next run
                    keepPart = true;
                    throw new DatasetStorageException(e.getMessage() + " The download itself is complete and kept as "
                            + part + "; the next run checks it again without downloading it.", e.getCause());
                } catch (Exception e) {
                    if (!resumed || freshStart.used) {
                        throw new DownloadException(url, e.getMessage(), e);
                    }
                    // the bytes kept from before may be of another file: one more try, from zero
                    freshStart.used = true;
                    LOG.info("{}: the resumed file failed its check ({}); downloading it again from the start",
                            url, e.getMessage());
                    Files.deleteIfExists(part);
                }
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw FileSystemErrors.storage("Cannot write " + part, e, "");
        } finally {
            if (!keepPart) {
                deleteQuietly(part);
            }
        }
    }

    /**
     * Tries the URL up to the configured number of times, and once more from zero when a resumed
     * part cannot be continued.
     *
     * @return whether the bytes on disk continue those of an earlier try or run
     */
    private boolean fetch(URI url, Path part, String name, FreshStart freshStart) throws IOException {
        AttemptFailure last = null;
        int tries = 0;
        while (tries < settings.attemptsPerMirror()) {
            if (tries > 0 && last != null && !last.restartFromZero) {
                pause(url, settings.backoffBefore(tries + 1), last);
            }
            try {
                return fetchOnce(url, part, name);
            } catch (AttemptFailure failure) {
                last = failure;
                LOG.info("{} (try {} of {}): {}", url, tries + 1, settings.attemptsPerMirror(), failure.getMessage());
                if (failure.restartFromZero && !freshStart.used) {
                    // not the server failing: the part does not fit it; starting over is not a try
                    freshStart.used = true;
                    Files.deleteIfExists(part);
                    continue;
                }
                tries++;
                if (!failure.retryable) {
                    break;
                }
            }
        }
        throw new DownloadException(url, last.getMessage(), last.getCause());
    }

    private boolean fetchOnce(URI url, Path part, String name) throws AttemptFailure, IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(settings.stallTimeout()).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            PartFileWriter writer = new PartFileWriter(channel, have, name, progress);
            try {
                HttpResponse<Long> response;
                try {
                    response = await(client.sendAsync(request.build(), writer), writer);
                } catch (AttemptFailure failure) {
                    failIfUnwritable(writer, part);
                    throw failure;
                }
                failIfUnwritable(writer, part);
                judge(response, writer, channel.size(), part);
                return writer.resumed() || writer.alreadyComplete();
            } finally {
                if (writer.started()) {
                    progress.finish(channel.size());
                }
            }
        }
    }

    /** The disk, not the connection: retrying or another mirror would not help. */
    private static void failIfUnwritable(PartFileWriter writer, Path part) {
        if (writer.writeFailure() != null) {
            throw FileSystemErrors.storage("Cannot write " + part, writer.writeFailure(),
                    "The server and the download are not at fault.");
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
        if (status == 416 && writer.alreadyComplete()) {
            // an earlier run downloaded every byte but could not finish checking it: check it now
            return;
        }
        if (status == 416) {
            // our part is at or past the end of what the server has: start over
            Files.deleteIfExists(part);
            throw AttemptFailure.restart("HTTP 416 (range not satisfiable); starting over");
        }
        if (status != 200 && status != 206) {
            boolean retryable = status >= 500 || status == 408 || status == 429;
            throw new AttemptFailure("HTTP " + status + statusText(status), retryable, null);
        }
        if (!writer.started()) {
            throw AttemptFailure.restart("HTTP 206 for a range that does not continue the part file; starting over");
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

    /**
     * One try failed; {@code retryable} says whether the same URL may work on the next, and
     * {@code restartFromZero} that the part file on disk, not the server, was the problem.
     */
    private static final class AttemptFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;
        private final boolean restartFromZero;

        AttemptFailure(String message, boolean retryable, Throwable cause) {
            this(message, retryable, false, cause);
        }

        private AttemptFailure(String message, boolean retryable, boolean restartFromZero, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
            this.restartFromZero = restartFromZero;
        }

        static AttemptFailure restart(String message) {
            return new AttemptFailure(message, true, true, null);
        }
    }

    /** The one download from zero a resumed file gets before its URL is given up. */
    private static final class FreshStart {
        private boolean used;
    }
}
