package io.github.rosettadl.datasets.download;

import static io.github.rosettadl.datasets.download.LoopbackServer.cutAfter;
import static io.github.rosettadl.datasets.download.LoopbackServer.serve;
import static io.github.rosettadl.datasets.download.LoopbackServer.serveIgnoringRange;
import static io.github.rosettadl.datasets.download.LoopbackServer.silentFor;
import static io.github.rosettadl.datasets.download.LoopbackServer.stallAfter;
import static io.github.rosettadl.datasets.download.LoopbackServer.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.DatasetStorageException;
import io.github.rosettadl.datasets.testing.SmallTmpfs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Downloads from a loopback HTTP server that answers 200, 404, 500, cuts, stalls and lies. */
class DownloaderTest {

    private static final DownloadSettings FAST =
            new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(400), 3, Duration.ofMillis(20));

    /** For tests that count requests: no stall time-out on a loaded machine adds one. */
    private static final DownloadSettings PATIENT =
            new DownloadSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 3, Duration.ZERO);

    @TempDir
    Path dir;

    private LoopbackServer server;
    private final RecordingProgress progress = new RecordingProgress();
    private final byte[] body = randomBytes(300_000);
    private Path target;

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackServer();
        target = dir.resolve("file.bin");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void download(DownloadSettings settings) throws DownloadException {
        new Downloader(settings, progress).download(server.url("/file.bin"), target, file -> {
            if (!Arrays.equals(Files.readAllBytes(file), body)) {
                throw new IOException("checksum mismatch");
            }
        });
    }

    @Test
    void okDownloadsTheFileAndReportsProgress() throws Exception {
        server.on("/file.bin", serve(body));

        download(FAST);

        assertArrayEquals(body, Files.readAllBytes(target));
        assertOnly(target);
        assertEquals(List.of("start file.bin 0/" + body.length, "finish " + body.length), progress.events());
        assertEquals(body.length, progress.lastUpdate());
    }

    @Test
    void notFoundFailsAtOnceWithoutRetrying() {
        server.on("/file.bin", status(404));

        DownloadException e = assertThrows(DownloadException.class, () -> download(FAST));

        assertEquals("HTTP 404 (not found)", e.reason());
        assertEquals(server.url("/file.bin"), e.url());
        assertEquals(1, server.requests().size());
        assertOnly();
    }

    @Test
    void serverErrorIsRetriedWithBackoffThenGivenUp() {
        server.on("/file.bin", status(500));

        long start = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, () -> download(FAST));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals("HTTP 500 (server error)", e.reason());
        assertEquals(3, server.requests().size());
        // back-off 20 ms before the second try, 40 ms before the third
        assertTrue(elapsedMillis >= 60, "retried after " + elapsedMillis + " ms");
        assertOnly();
    }

    @Test
    void serverErrorThenSuccessRecovers() throws Exception {
        server.on("/file.bin", status(503), serve(body));

        download(FAST);

        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(2, server.requests().size());
    }

    @Test
    void cutMidFileIsResumedWithRange() throws Exception {
        server.on("/file.bin", cutAfter(body, 100_000), serve(body));

        download(FAST);

        assertArrayEquals(body, Files.readAllBytes(target));
        List<LoopbackServer.Request> requests = server.requests();
        assertEquals(2, requests.size());
        assertNull(requests.get(0).range());
        String range = requests.get(1).range();
        assertTrue(range != null && range.matches("bytes=\\d+-"), "second request asked for " + range);
        long resumedAt = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(resumedAt > 0 && resumedAt <= 100_000, "resumed at " + resumedAt);
        assertEquals("start file.bin " + resumedAt + "/" + body.length, progress.events().get(2));
        assertOnly(target);
    }

    @Test
    void partLeftByAnEarlierRunIsResumed() throws Exception {
        Files.write(dir.resolve("file.bin.part"), Arrays.copyOf(body, 1234));
        server.on("/file.bin", serve(body));

        download(FAST);

        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals("bytes=1234-", server.requests().get(0).range());
        assertOnly(target);
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws Exception {
        Files.write(dir.resolve("file.bin.part"), Arrays.copyOf(body, 1234));
        server.on("/file.bin", serveIgnoringRange(body));

        download(FAST);

        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void partLongerThanTheFileStartsOver() throws Exception {
        Files.write(dir.resolve("file.bin.part"), randomBytes(body.length + 10));
        server.on("/file.bin", serve(body));

        download(FAST);

        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("bytes=" + (body.length + 10) + "-", "null"),
                server.requests().stream().map(r -> String.valueOf(r.range())).toList());
    }

    @Test
    void partialBodyOnEveryTryFailsAndLeavesNothing() {
        server.on("/file.bin", cutAfter(body, 5_000), status(500));

        DownloadException e = assertThrows(DownloadException.class,
                () -> download(new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(400), 2, Duration.ZERO)));

        assertEquals("HTTP 500 (server error)", e.reason());
        assertEquals(2, server.requests().size());
        assertOnly();
    }

    @Test
    void partialBodyAsTheOnlyTryIsReported() {
        server.on("/file.bin", cutAfter(body, 5_000));

        DownloadException e = assertThrows(DownloadException.class,
                () -> download(new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(400), 1, Duration.ZERO)));

        assertTrue(e.reason().matches("connection lost after \\d+ of 300000 bytes \\(.*\\)"), e.reason());
        assertOnly();
    }

    @Test
    void wrongChecksumIsNotRetriedAndLeavesNothing() {
        byte[] other = body.clone();
        other[12345] ^= 1;
        server.on("/file.bin", serve(other));

        DownloadException e = assertThrows(DownloadException.class, () -> download(FAST));

        assertEquals("checksum mismatch", e.reason());
        assertEquals(1, server.requests().size());
        assertOnly();
    }

    @Test
    void partOfAnotherFileFailsItsCheckAndIsDownloadedAgainFromZero() throws Exception {
        // a part left by an earlier run of another version of the file: the server continues it faithfully
        Files.write(dir.resolve("file.bin.part"), randomBytes(1234));
        server.on("/file.bin", serve(body));

        download(PATIENT);

        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("bytes=1234-", "null"),
                server.requests().stream().map(r -> String.valueOf(r.range())).toList());
        assertOnly(target);
    }

    @Test
    void rangeAnswerThatDoesNotContinueThePartRestartsFromZeroEvenWithOneTry() throws Exception {
        Files.write(dir.resolve("file.bin.part"), Arrays.copyOf(body, 1234));
        server.on("/file.bin", LoopbackServer.serveFromZeroAs206(body));

        download(new DownloadSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 1, Duration.ZERO));

        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("bytes=1234-", "null"),
                server.requests().stream().map(r -> String.valueOf(r.range())).toList());
    }

    @Test
    void wrongContentEvenFromZeroIsGivenUpAfterOneFreshStart() {
        byte[] other = body.clone();
        other[200_000] ^= 1;
        try {
            Files.write(dir.resolve("file.bin.part"), Arrays.copyOf(other, 1234));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        server.on("/file.bin", serve(other));

        DownloadException e = assertThrows(DownloadException.class, () -> download(PATIENT));

        assertEquals("checksum mismatch", e.reason());
        assertEquals(List.of("bytes=1234-", "null"),
                server.requests().stream().map(r -> String.valueOf(r.range())).toList(), "resumed, then once from zero");
        assertOnly();
    }

    @Test
    void fullDiskStopsAtOnceWithoutRetryingAndLeavesNothing() throws Exception {
        server.on("/file.bin", serve(body));
        try (SmallTmpfs disk = SmallTmpfs.mount(dir.resolve("small-disk"), 128)) {
            Path onDisk = disk.dir().resolve("file.bin");

            DatasetStorageException e = assertThrows(DatasetStorageException.class, () -> new Downloader(PATIENT,
                    progress).download(server.url("/file.bin"), onDisk, file -> { }));

            assertTrue(e.getMessage().startsWith("Cannot write " + disk.dir().resolve("file.bin.part")
                    + ": no space left on device. Free some space on that disk"), e.getMessage());
            assertEquals(1, server.requests().size(), "retrying cannot free the disk");
            try (var left = Files.list(disk.dir())) {
                assertEquals(List.of(), left.toList());
            }
        }
    }

    @Test
    void completePartLeftByAnEarlierRunIsCheckedWithoutDownloadingAgain() throws Exception {
        Files.write(dir.resolve("file.bin.part"), body);
        server.on("/file.bin", serve(body));

        download(PATIENT);

        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("bytes=" + body.length + "-"),
                server.requests().stream().map(r -> String.valueOf(r.range())).toList());
        assertOnly(target);
    }

    @Test
    void checkFailingForWantOfDiskKeepsTheCompleteDownload() throws IOException {
        server.on("/file.bin", serve(body));
        Path part = dir.resolve("file.bin.part");

        DatasetStorageException e = assertThrows(DatasetStorageException.class, () -> new Downloader(PATIENT, progress)
                .download(server.url("/file.bin"), target, file -> {
                    throw new DatasetStorageException("Cannot extract " + file + ": no space left on device.", null);
                }));

        assertTrue(e.getMessage().endsWith("The download itself is complete and kept as " + part
                + "; the next run checks it again without downloading it."), e.getMessage());
        assertArrayEquals(body, Files.readAllBytes(part));
        assertFalse(Files.exists(target));
    }

    @Test
    void stalledBodyTimesOut() {
        server.on("/file.bin", stallAfter(body, 1000, 3_000));
        DownloadSettings oneTry = new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 1, Duration.ZERO);

        long start = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, () -> download(oneTry));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals("no data for 300 ms (stall time-out)", e.reason());
        assertTrue(elapsedMillis < 2_500, "gave up after " + elapsedMillis + " ms");
        assertOnly();
    }

    @Test
    void silentServerTimesOutBeforeHeaders() {
        server.on("/file.bin", silentFor(3_000, serve(body)));
        DownloadSettings oneTry = new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 1, Duration.ZERO);

        long start = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, () -> download(oneTry));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(e.reason().contains("time"), e.reason());
        assertTrue(elapsedMillis < 2_500, "gave up after " + elapsedMillis + " ms");
        assertOnly();
    }

    @Test
    void connectionRefusedIsReported() throws Exception {
        URI closed;
        try (LoopbackServer gone = new LoopbackServer()) {
            closed = gone.url("/file.bin");
        }
        DownloadSettings oneTry = new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(400), 1, Duration.ZERO);

        DownloadException e = assertThrows(DownloadException.class,
                () -> new Downloader(oneTry, progress).download(closed, target, file -> { }));

        assertTrue(e.reason().startsWith("ConnectException"), e.reason());
        assertOnly();
    }

    @Test
    void unwritableFolderIsReported() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        server.on("/file.bin", serve(body));

        DatasetStorageException e = assertThrows(DatasetStorageException.class, () -> new Downloader(FAST, progress)
                .download(server.url("/file.bin"), notAFolder.resolve("file.bin"), file -> { }));

        assertTrue(e.getMessage().startsWith("Cannot write " + notAFolder.resolve("file.bin.part") + ": not a directory"),
                e.getMessage());
        assertEquals(0, server.requests().size(), "a folder that cannot be written is not the server's fault");
    }

    @Test
    void backoffDoublesAndIsCapped() {
        DownloadSettings s = new DownloadSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 30, Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(1), s.backoffBefore(2));
        assertEquals(Duration.ofSeconds(2), s.backoffBefore(3));
        assertEquals(Duration.ofSeconds(4), s.backoffBefore(4));
        assertEquals(Duration.ofMinutes(1), s.backoffBefore(20));
        assertThrows(IllegalArgumentException.class,
                () -> new DownloadSettings(Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new DownloadSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO));
    }

    /** The folder holds exactly these files: no part file, no temporary, nothing half-written. */
    private void assertOnly(Path... files) {
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(files), listing.sorted().toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertFalse(Files.exists(dir.resolve("file.bin.part")));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
