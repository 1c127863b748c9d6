package io.github.rosettadl.datasets.source;

import static io.github.rosettadl.datasets.download.LoopbackServer.serve;
import static io.github.rosettadl.datasets.source.ImageDatasetsTest.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetStorageException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.DownloadSettings;
import io.github.rosettadl.datasets.download.LoopbackServer;
import io.github.rosettadl.datasets.files.ChecksumMismatchException;
import io.github.rosettadl.datasets.files.Md5;
import io.github.rosettadl.datasets.files.PublishedFile;
import io.github.rosettadl.datasets.testing.Fixtures.Entry;
import io.github.rosettadl.datasets.testing.Fixtures;
import io.github.rosettadl.datasets.testing.RealData;
import io.github.rosettadl.datasets.testing.SmallTmpfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Failures of the machine, not the data: a full disk, a read-only file system, a file that may not
 * be read or that vanished. Each is reported as what it is, with the path, and good data is never
 * called corrupt or advised for deletion; a corrupt cache file is still called corrupt.
 */
class StorageFailureTest {

    private static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    private static final String[] BATCH_NAMES = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"};

    @TempDir
    Path tmp;

    // 40 records a batch: 737 KB unpacked, a few KB as .tar.gz, so only the unpacking fills a small disk
    private final byte[][] batches = new byte[6][];

    {
        for (int b = 0; b < 6; b++) {
            int[] labels = new int[40];
            for (int r = 0; r < labels.length; r++) {
                labels[r] = (b + r) % 10;
            }
            batches[b] = Fixtures.cifarBatch(40 * b, labels);
        }
    }

    private final byte[] archive = Fixtures.tarGz(entries());

    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.folder("cifar-10-batches-bin"));
        for (int i = 0; i < 6; i++) {
            entries.add(Entry.file("cifar-10-batches-bin/" + BATCH_NAMES[i], batches[i]));
        }
        return entries;
    }

    private CifarSource cifar(List<URI> mirrors) {
        List<PublishedFile> train = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            train.add(PublishedFile.plain(BATCH_NAMES[i], Md5.of(batches[i])));
        }
        return new CifarSource(ImageDatasetId.CIFAR10, NAMES, PublishedFile.plain("cifar-10-binary.tar.gz",
                Md5.of(archive)), train, PublishedFile.plain("test_batch.bin", Md5.of(batches[5])), mirrors);
    }

    // two tries, and patient enough that a loaded machine never stalls one: each request counted is on purpose
    private static final DownloadSettings PATIENT =
            new DownloadSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 2, Duration.ZERO);

    private DataOptions options(Path dataDir, Path cache) {
        return RealData.only(dataDir, cache).withDownloadSettings(PATIENT);
    }

    private Path dataWithArchive() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("cifar-10-binary.tar.gz"), archive);
        return data;
    }

    private Path dataWithFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data/cifar-10-batches-bin"));
        for (int i = 0; i < 6; i++) {
            Files.write(dir.resolve(BATCH_NAMES[i]), batches[i]);
        }
        return dir;
    }

    /** Neither "corrupt" nor "delete it": the data is fine. */
    private static void assertGoodDataIsNotBlamed(Exception e) {
        String message = e.getMessage().toLowerCase(java.util.Locale.ROOT);
        assertFalse(message.contains("corrupt"), e.getMessage());
        assertFalse(message.contains("delete"), e.getMessage());
        assertFalse(message.contains("download it again"), e.getMessage());
    }

    @Test
    void fullDiskWhileExtractingTheArchiveSaysSoAndKeepsTheArchive() throws Exception {
        Path data = dataWithArchive();
        try (SmallTmpfs disk = SmallTmpfs.mount(tmp.resolve("cache"), 256)) {
            DatasetStorageException e = assertThrows(DatasetStorageException.class,
                    () -> ImageDatasets.load(cifar(List.of()), options(data, disk.dir())));

            assertTrue(e.getMessage().startsWith("Cannot extract " + data.resolve("cifar-10-binary.tar.gz") + " into "
                    + disk.dir().resolve("cifar10")), e.getMessage());
            assertTrue(e.getMessage().contains(": no space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains("Free some space on that disk"), e.getMessage());
            assertTrue(e.getMessage().contains("The archive itself is not at fault: keep it."), e.getMessage());
            assertTrue(e.getMessage().contains("--cache-dir"), e.getMessage());
            assertGoodDataIsNotBlamed(e);
            assertArrayEquals(archive, Files.readAllBytes(data.resolve("cifar-10-binary.tar.gz")));
            assertEquals(List.of(), names(disk.dir().resolve("cifar10")), "no half-extracted folder is left");
        }
    }

    @Test
    void fullDiskWhileDownloadingStopsWithoutBlamingOrTryingTheMirrors() throws Exception {
        byte[] big = new byte[600_000];
        new Random(7).nextBytes(big);
        try (LoopbackServer first = new LoopbackServer(); LoopbackServer second = new LoopbackServer();
                SmallTmpfs disk = SmallTmpfs.mount(tmp.resolve("cache"), 256)) {
            first.on("/kriz/cifar-10-binary.tar.gz", serve(big));
            second.on("/kriz/cifar-10-binary.tar.gz", serve(archive));

            DatasetStorageException e = assertThrows(DatasetStorageException.class, () -> ImageDatasets.load(
                    cifar(List.of(first.url("/kriz/"), second.url("/kriz/"))), options(null, disk.dir())
                            .withOffline(false)));

            Path part = disk.dir().resolve("cifar10/cifar-10-binary.tar.gz.part");
            assertTrue(e.getMessage().startsWith("Cannot write " + part + ": no space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains("The server and the download are not at fault."), e.getMessage());
            assertTrue(e.getMessage().contains("--cache-dir"), e.getMessage());
            assertEquals(1, first.requests().size(), "a full disk is not retried");
            assertEquals(0, second.requests().size(), "nor blamed on the mirror");
            assertEquals(List.of(), names(disk.dir().resolve("cifar10")), "the part file is removed");
        }
    }

    @Test
    void downloadedArchiveThatCannotBeUnpackedOnAFullDiskIsNotBlamedOnTheMirror() throws Exception {
        try (LoopbackServer first = new LoopbackServer(); LoopbackServer second = new LoopbackServer();
                SmallTmpfs disk = SmallTmpfs.mount(tmp.resolve("cache"), 256)) {
            first.on("/kriz/cifar-10-binary.tar.gz", serve(archive));
            second.on("/kriz/cifar-10-binary.tar.gz", serve(archive));

            DatasetStorageException e = assertThrows(DatasetStorageException.class, () -> ImageDatasets.load(
                    cifar(List.of(first.url("/kriz/"), second.url("/kriz/"))), options(null, disk.dir())
                            .withOffline(false)));

            Path part = disk.dir().resolve("cifar10/cifar-10-binary.tar.gz.part");
            assertTrue(e.getMessage().contains(": no space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains("The download itself is complete and kept as " + part), e.getMessage());
            assertGoodDataIsNotBlamed(e);
            assertEquals(1, first.requests().size());
            assertEquals(0, second.requests().size(), "the second mirror would meet the same full disk");
            assertArrayEquals(archive, Files.readAllBytes(part));

            // the user frees space: the next run checks the kept download instead of fetching it again
            disk.resize(2048);
            assertEquals(6 * 40 - 40, ImageDatasets.load(cifar(List.of(first.url("/kriz/"), second.url("/kriz/"))),
                    options(null, disk.dir()).withOffline(false)).train().size());
            assertEquals(List.of("null", "bytes=" + archive.length + "-"),
                    first.requests().stream().map(r -> String.valueOf(r.range())).toList(), "no byte was sent twice");
            assertEquals(List.of("cifar-10-batches-bin"), names(disk.dir().resolve("cifar10")));
        }
    }

    @Test
    void readOnlyCacheFileSystemSaysSoAndHowToChooseAnother() throws Exception {
        try (LoopbackServer server = new LoopbackServer();
                SmallTmpfs disk = SmallTmpfs.mount(tmp.resolve("cache"), 64)) {
            server.on("/kriz/cifar-10-binary.tar.gz", serve(archive));
            disk.remountReadOnly();

            DatasetStorageException e = assertThrows(DatasetStorageException.class, () -> ImageDatasets.load(
                    cifar(List.of(server.url("/kriz/"))), options(null, disk.dir()).withOffline(false)));

            assertTrue(e.getMessage().startsWith("cannot write to the cache folder " + disk.dir().resolve("cifar10")
                    + ": read-only file system"), e.getMessage());
            assertTrue(e.getMessage().contains("That file system is mounted read-only."), e.getMessage());
            assertTrue(e.getMessage().contains("--cache-dir DIR"), e.getMessage());
            assertEquals(0, server.requests().size(), "nothing is downloaded where it cannot be stored");
        }
    }

    @Test
    void unreadableBatchIsAPermissionProblemNotACorruptFile() throws IOException {
        Path dir = dataWithFolder();
        Path batch = dir.resolve("data_batch_3.bin");
        Files.setPosixFilePermissions(batch, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(batch), "running as root, which permission bits do not stop;"
                    + " readOnlyCacheFileSystemSaysSoAndHowToChooseAnother covers a refused disk as root");

            DatasetStorageException e = assertThrows(DatasetStorageException.class,
                    () -> ImageDatasets.load(cifar(List.of()), options(tmp.resolve("data"), tmp.resolve("cache"))));

            assertTrue(e.getMessage().startsWith("Cannot read " + batch + ": permission denied"), e.getMessage());
            assertTrue(e.getMessage().contains("Fix the permissions"), e.getMessage());
            assertTrue(e.getMessage().contains("keep it"), e.getMessage());
            assertGoodDataIsNotBlamed(e);
        } finally {
            Files.setPosixFilePermissions(batch, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void batchThatVanishesAfterTheLookupIsReportedAsVanished() throws IOException {
        Path dir = dataWithFolder();
        CifarSource source = cifar(List.of());
        Lookup found = source.lookIn(tmp.resolve("data"));
        assertEquals(dir, found.dir());
        Files.delete(dir.resolve("data_batch_2.bin"));

        DatasetStorageException e = assertThrows(DatasetStorageException.class,
                () -> source.load(found, tmp.resolve("cache")));

        assertTrue(e.getMessage().startsWith("Cannot read " + dir.resolve("data_batch_2.bin")
                + ": no such file or folder"), e.getMessage());
        assertTrue(e.getMessage().contains("It vanished while in use"), e.getMessage());
        assertGoodDataIsNotBlamed(e);
    }

    @Test
    void archiveThatVanishesBeforeUnpackingIsReportedAsVanished() throws IOException {
        Path data = dataWithArchive();
        CifarSource source = cifar(List.of());
        Lookup found = source.lookIn(data);
        assertEquals(data.resolve("cifar-10-binary.tar.gz"), found.archive());
        Files.delete(found.archive());

        DatasetStorageException e = assertThrows(DatasetStorageException.class,
                () -> source.load(found, tmp.resolve("cache")));

        assertTrue(e.getMessage().startsWith("Cannot extract " + found.archive()), e.getMessage());
        assertTrue(e.getMessage().contains("no such file or folder"), e.getMessage());
        assertGoodDataIsNotBlamed(e);
        assertEquals(List.of(), names(tmp.resolve("cache/cifar10")));
    }

    @Test
    void corruptFileInTheCacheIsStillCalledCorrupt() throws IOException {
        Path data = dataWithArchive();
        Path cache = tmp.resolve("cache");
        ImageDatasets.load(cifar(List.of()), options(data, cache));
        Path cached = cache.resolve("cifar10/cifar-10-batches-bin/data_batch_4.bin");
        byte[] bytes = Files.readAllBytes(cached);
        bytes[5000] ^= 1;
        Files.write(cached, bytes);

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDatasets.load(cifar(List.of()), options(null, cache)));

        assertTrue(e instanceof ChecksumMismatchException, e.getClass() + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(cached + " failed its checksum"), e.getMessage());
        assertTrue(e.getMessage().contains("It is corrupt or a different file."), e.getMessage());
    }
}
