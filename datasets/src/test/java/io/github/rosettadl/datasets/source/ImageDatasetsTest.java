package io.github.rosettadl.datasets.source;

import static io.github.rosettadl.datasets.download.LoopbackServer.cutAfter;
import static io.github.rosettadl.datasets.download.LoopbackServer.serve;
import static io.github.rosettadl.datasets.download.LoopbackServer.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetUnavailableException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.DownloadSettings;
import io.github.rosettadl.datasets.download.LoopbackServer;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.TinyMnist;
import io.github.rosettadl.datasets.testing.Fixtures;
import io.github.rosettadl.datasets.testing.RealData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Where MNIST-format data is looked for, which layouts are accepted, downloads, and bad input. */
class ImageDatasetsTest {

    static final DownloadSettings QUICK =
            new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(500), 2, Duration.ZERO);

    @TempDir
    Path tmp;

    private final TinyMnist mnist = new TinyMnist();

    private DataOptions nowhere() {
        return RealData.only(null, tmp.resolve("cache")).withDownloadSettings(QUICK);
    }

    private ImageData load(DataOptions options) {
        return ImageDatasets.load(mnist.source(), options);
    }

    @Test
    void readsTheTinySetWithStatisticsAndLabels() throws IOException {
        Path dir = mnist.writeGz(tmp.resolve("data/mnist"));

        ImageData data = load(nowhere().withDataDir(tmp.resolve("data")));

        assertEquals(dir.toString(), data.source());
        assertEquals(6, data.train().size());
        assertEquals(3, data.test().size());
        assertEquals(5, data.train().label(0));
        assertEquals(1, data.test().label(2));
        assertEquals(16, data.metadata().imageBytes());
        // train pixels are (7i + p) mod 256 for i < 6, p < 16: mean of x / 255
        double sum = 0;
        for (int i = 0; i < 6; i++) {
            for (int p = 0; p < 16; p++) {
                sum += (7 * i + p) / 255.0;
            }
        }
        assertEquals((float) (sum / 96), data.metadata().mean()[0], 1e-6f);
    }

    @Test
    void looksInDataDirThenEnvironmentThenSystemThenCache() throws IOException {
        Path explicit = mnist.writeGz(tmp.resolve("explicit/mnist"));
        Path environment = mnist.writeGz(tmp.resolve("env/mnist"));
        Path system = mnist.writeGz(tmp.resolve("system/mnist"));
        Path cache = mnist.writeGz(tmp.resolve("cache/mnist"));
        DataOptions options = nowhere().withDataDir(tmp.resolve("explicit"))
                .withEnvironmentDataDir(tmp.resolve("env")).withSystemDirs(List.of(tmp.resolve("system")));

        assertEquals(explicit.toString(), load(options).source());
        assertEquals(environment.toString(), load(options.withDataDir(null)).source());
        assertEquals(system.toString(), load(options.withDataDir(null).withEnvironmentDataDir(null)).source());
        assertEquals(cache.toString(), load(options.withDataDir(null).withEnvironmentDataDir(null)
                .withSystemDirs(List.of())).source());
    }

    @Test
    void incompleteFolderIsSkippedForTheNextPlace() throws IOException {
        Path explicit = mnist.writeGz(tmp.resolve("explicit/mnist"));
        Files.delete(explicit.resolve("t10k-labels-idx1-ubyte.gz"));
        Path environment = mnist.writeRaw(tmp.resolve("env/mnist"));

        ImageData data = load(nowhere().withDataDir(tmp.resolve("explicit")).withEnvironmentDataDir(tmp.resolve("env")));

        assertEquals(environment.toString(), data.source());
    }

    @Test
    void acceptsTheLayoutsUsersHave() throws IOException {
        // files straight in the folder, gzipped
        assertEquals(6, load(nowhere().withDataDir(mnist.writeGz(tmp.resolve("flat")))).train().size());
        // torchvision's MNIST/raw, un-gzipped
        Path torchvision = mnist.writeRaw(tmp.resolve("tv/MNIST/raw"));
        assertEquals(torchvision.toString(), load(nowhere().withDataDir(tmp.resolve("tv"))).source());
        // the dotted names some re-distributions use, mixed gzipped and raw
        Path dotted = Files.createDirectories(tmp.resolve("dotted"));
        Files.write(dotted.resolve("train-images.idx3-ubyte"), mnist.raw[0]);
        Files.write(dotted.resolve("train-labels.idx1-ubyte.gz"), mnist.gz[1]);
        Files.write(dotted.resolve("t10k-images-idx3-ubyte"), mnist.raw[2]);
        Files.write(dotted.resolve("t10k-labels-idx1-ubyte.gz"), mnist.gz[3]);
        ImageData data = load(nowhere().withDataDir(dotted));
        assertArrayEquals(new int[] {1, 1, 1, 0, 1, 1, 0, 0, 0, 1}, data.train().classCounts());
    }

    @Test
    void acceptsARecompressedCopyByItsContent() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("debian/mnist"));
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve(TinyMnist.NAMES.get(i) + ".gz"), Fixtures.gzip(mnist.raw[i], 1));
        }
        assertEquals(6, load(nowhere().withSystemDirs(List.of(tmp.resolve("debian")))).train().size());
    }

    @Test
    void checksumMismatchNamesTheFile() throws IOException {
        Path dir = mnist.writeRaw(tmp.resolve("data"));
        byte[] changed = mnist.raw[2].clone();
        changed[40] ^= 1;
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), changed);

        DatasetException e = assertThrows(DatasetException.class, () -> load(nowhere().withDataDir(dir)));

        assertTrue(e.getMessage().startsWith(dir.resolve("t10k-images-idx3-ubyte") + " failed its checksum"),
                e.getMessage());
        // files straight in a data folder may belong to the other data set of the same format
        assertTrue(e.getMessage().endsWith("keep each in its own subfolder, mnist/ or fashion-mnist/."), e.getMessage());
    }

    @Test
    void fashionMnistFilesInTheMnistFolderFailTheirChecksum() throws IOException {
        TinyMnist fashion = new TinyMnist(Fixtures.idxImages(6, 4, 4), Fixtures.idxLabels(9, 0, 0, 3, 0, 2),
                Fixtures.idxImages(3, 4, 4), Fixtures.idxLabels(9, 2, 1));
        Path dir = fashion.writeGz(tmp.resolve("data/mnist"));

        DatasetException e = assertThrows(DatasetException.class, () -> load(nowhere().withDataDir(tmp.resolve("data"))));

        assertTrue(e.getMessage().startsWith(dir.resolve("train-labels-idx1-ubyte.gz") + " failed its checksum"),
                e.getMessage());
        assertFalse(e.getMessage().contains("own subfolder"), e.getMessage());
    }

    @Test
    void truncatedGzipInADataFolderNamesTheFile() throws IOException {
        Path dir = mnist.writeGz(tmp.resolve("data"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), Fixtures.head(mnist.gz[0], mnist.gz[0].length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> load(nowhere().withDataDir(dir)));

        assertTrue(e.getMessage().startsWith(dir.resolve("train-images-idx3-ubyte.gz") + " is truncated"),
                e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        TinyMnist mismatched = new TinyMnist(Fixtures.idxImages(6, 4, 4), Fixtures.idxLabels(5, 0, 4, 1, 9, 2),
                Fixtures.idxImages(3, 4, 4), Fixtures.idxLabels(7, 2));
        Path dir = mismatched.writeGz(tmp.resolve("data"));

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDatasets.load(mismatched.source(), nowhere().withDataDir(dir)));

        assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz") + " has 3 images but "
                + dir.resolve("t10k-labels-idx1-ubyte.gz") + " has 2 labels; they must be the matching pair of"
                + " published files (t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).", e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileAndIndex() throws IOException {
        TinyMnist bad = new TinyMnist(Fixtures.idxImages(6, 4, 4), Fixtures.idxLabels(5, 0, 4, 10, 9, 2),
                Fixtures.idxImages(3, 4, 4), Fixtures.idxLabels(7, 2, 1));
        Path dir = bad.writeGz(tmp.resolve("data"));

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDatasets.load(bad.source(), nowhere().withDataDir(dir)));

        assertTrue(e.getMessage().startsWith(dir.resolve("train-labels-idx1-ubyte.gz") + ": label 3 is 10, but MNIST"
                + " has classes 0 to 9"), e.getMessage());
    }

    @Test
    void wrongIdxMagicNamesTheFile() throws IOException {
        // image and label files swapped: valid IDX, published checksums, wrong kind
        TinyMnist swapped = new TinyMnist(mnist.raw[1], mnist.raw[0], mnist.raw[2], mnist.raw[3]);
        Path dir = swapped.writeGz(tmp.resolve("data"));

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDatasets.load(swapped.source(), nowhere().withDataDir(dir)));

        assertTrue(e.getMessage().startsWith(dir.resolve("train-images-idx3-ubyte.gz")
                + " has the wrong IDX magic number 0x00000801; expected 0x00000803"), e.getMessage());
    }

    @Test
    void wrongImageSizeNamesTheFile() throws IOException {
        TinyMnist big = new TinyMnist(Fixtures.idxImages(6, 8, 8), mnist.raw[1], mnist.raw[2], mnist.raw[3]);
        Path dir = big.writeGz(tmp.resolve("data"));

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDatasets.load(big.source(), nowhere().withDataDir(dir)));

        assertTrue(e.getMessage().startsWith(dir.resolve("train-images-idx3-ubyte.gz") + " holds 8x8 images, but"
                + " MNIST's are 4x4"), e.getMessage());
    }

    @Test
    void offlineWithNothingCachedSaysWhereItLookedAndWhatToPutWhere() {
        Path missing = tmp.resolve("no-such-folder");
        Path cache = tmp.resolve("cache");

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> ImageDatasets.load(ImageDatasetId.MNIST, nowhere().withDataDir(missing)));

        String message = e.getMessage();
        assertTrue(message.startsWith("MNIST is not available.\nLooked in:\n"), message);
        assertTrue(message.contains("  --data-dir " + missing + ": no such folder\n"), message);
        assertTrue(message.contains("  ROSETTA_DATA_DIR: not set\n"), message);
        assertTrue(message.contains("  cache " + cache + ": no such folder\n"), message);
        assertTrue(message.contains("Mirrors tried:\n  none: offline mode is on (DJL_OFFLINE=true"), message);
        assertTrue(message.contains("put these files in a folder DIR and pass --data-dir DIR (or set ROSETTA_DATA_DIR=DIR)"),
                message);
        assertTrue(message.contains("  DIR/mnist/train-images-idx3-ubyte.gz  (md5 f68b3c2dcbeaaa9fbdd348bbdeb94873;"
                + " or un-gzipped as train-images-idx3-ubyte)"), message);
        assertTrue(message.contains("  DIR/mnist/t10k-labels-idx1-ubyte.gz"), message);
        // offline never writes, not even the cache folder
        assertFalse(Files.exists(cache));
    }

    @Test
    void offlineCifarSaysWhichFolderOrArchiveToProvide() {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> ImageDatasets.load(ImageDatasetId.CIFAR10, nowhere()));
        assertTrue(e.getMessage().contains("DIR/cifar-10-batches-bin/ with data_batch_1.bin, data_batch_2.bin,"
                + " data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin and batches.meta.txt"),
                e.getMessage());
        assertTrue(e.getMessage().contains("DIR/cifar-10-binary.tar.gz  (md5 c32a1d4ab5d03f1284b67883e8d87530),"
                + " instead of the folder"), e.getMessage());
    }

    @Test
    void downloadsIntoTheCacheTryingMirrorsInOrder() throws IOException {
        try (LoopbackServer server = new LoopbackServer()) {
            for (int i = 0; i < 4; i++) {
                server.on("/good/" + TinyMnist.NAMES.get(i) + ".gz", serve(mnist.gz[i]));
            }
            List<URI> mirrors = List.of(server.url("/gone/"), server.url("/good/"));
            DataOptions online = nowhere().withOffline(false);

            ImageData data = ImageDatasets.load(mnist.source(mirrors), online);

            Path home = tmp.resolve("cache/mnist");
            assertEquals(home.toString(), data.source());
            assertEquals(6, data.train().size());
            assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), names(home));
            // each file: the first mirror's 404, then the second mirror
            assertEquals(8, server.requests().size());
            assertEquals(4, server.requests().stream().filter(r -> r.path().startsWith("/gone/")).count());

            // the next run finds the cache, offline, without a request
            ImageData again = ImageDatasets.load(mnist.source(mirrors), nowhere());
            assertEquals(home.toString(), again.source());
            assertEquals(8, server.requests().size());
        }
    }

    @Test
    void downloadsOnlyTheFilesTheCacheLacks() throws IOException {
        Path home = mnist.writeGz(tmp.resolve("cache/mnist"));
        Files.delete(home.resolve("train-labels-idx1-ubyte.gz"));
        try (LoopbackServer server = new LoopbackServer()) {
            server.on("/m/train-labels-idx1-ubyte.gz", serve(mnist.gz[1]));

            ImageDatasets.load(mnist.source(List.of(server.url("/m/"))), nowhere().withOffline(false));

            assertEquals(List.of(new LoopbackServer.Request("/m/train-labels-idx1-ubyte.gz", null)), server.requests());
        }
    }

    @Test
    void failedDownloadsListEveryMirrorAndLeaveTheCacheClean() throws IOException {
        try (LoopbackServer server = new LoopbackServer()) {
            server.on("/broken/train-images-idx3-ubyte.gz", status(500));
            List<URI> mirrors = List.of(server.url("/gone/"), server.url("/broken/"));

            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                    () -> ImageDatasets.load(mnist.source(mirrors), nowhere().withOffline(false)));

            assertTrue(e.getMessage().contains("Mirrors tried:\n  " + server.url("/gone/train-images-idx3-ubyte.gz")
                    + ": HTTP 404 (not found)\n  " + server.url("/broken/train-images-idx3-ubyte.gz")
                    + ": HTTP 500 (server error)\n"), e.getMessage());
            assertTrue(e.getMessage().contains("DIR/mnist/train-images-idx3-ubyte.gz"), e.getMessage());
            // 404 once, 500 twice (retried)
            assertEquals(3, server.requests().size());
            assertEquals(List.of(), names(tmp.resolve("cache/mnist")));
        }
    }

    @Test
    void partialBodyAndWrongChecksumLeaveNothingInTheCache() throws IOException {
        byte[] other = Fixtures.gzip(Fixtures.idxImages(6, 4, 4), 1);
        other[other.length - 9] ^= 1;
        try (LoopbackServer server = new LoopbackServer()) {
            server.on("/cut/train-images-idx3-ubyte.gz", cutAfter(mnist.gz[0], 20));
            server.on("/liar/train-images-idx3-ubyte.gz", serve(Fixtures.gzip(Fixtures.idxImages(7, 4, 4), 9)));
            List<URI> mirrors = List.of(server.url("/cut/"), server.url("/liar/"));

            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                    () -> ImageDatasets.load(mnist.source(mirrors), nowhere().withOffline(false)));

            assertTrue(e.getMessage().contains(server.url("/cut/train-images-idx3-ubyte.gz")
                    + ": connection lost after "), e.getMessage());
            assertTrue(e.getMessage().contains(server.url("/liar/train-images-idx3-ubyte.gz") + ": "
                    + tmp.resolve("cache/mnist/train-images-idx3-ubyte.gz.part") + " failed its checksum"),
                    e.getMessage());
            assertEquals(List.of(), names(tmp.resolve("cache/mnist")));
        }
    }

    @Test
    void unwritableCacheSaysHowToChooseAnother() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");

        DatasetException e = assertThrows(DatasetException.class,
                () -> load(nowhere().withOffline(false).withCacheDir(file.resolve("cache"))));

        assertTrue(e.getMessage().startsWith("cannot write to the cache folder " + file.resolve("cache/mnist")),
                e.getMessage());
        assertTrue(e.getMessage().contains("XDG_CACHE_HOME, or DataOptions.withCacheDir"), e.getMessage());
    }

    @Test
    void readOnlyCacheSaysHowToChooseAnother() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("ro-cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(cache), "running as root, which permission bits do not stop;"
                    + " unwritableCacheSaysHowToChooseAnother covers this case");

            DatasetException e = assertThrows(DatasetException.class,
                    () -> load(nowhere().withOffline(false).withCacheDir(cache)));

            assertTrue(e.getMessage().startsWith("cannot write to the cache folder " + cache.resolve("mnist")),
                    e.getMessage());
        } finally {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
