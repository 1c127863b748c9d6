package io.github.rosettadl.datasets.source;

import static io.github.rosettadl.datasets.download.LoopbackServer.serve;
import static io.github.rosettadl.datasets.source.ImageDatasetsTest.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetUnavailableException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.LoopbackServer;
import io.github.rosettadl.datasets.files.Md5;
import io.github.rosettadl.datasets.files.PublishedFile;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.testing.Fixtures.Entry;
import io.github.rosettadl.datasets.testing.Fixtures;
import io.github.rosettadl.datasets.testing.RealData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CIFAR-10's binary layouts, archives and bad input, on small batch files the test writes. */
class CifarSourceTest {

    private static final String META = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";
    private static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    @TempDir
    Path tmp;

    // five train batches of 2, 1, 1, 1, 1 records and a test batch of 2
    private final byte[][] batches = {Fixtures.cifarBatch(0, 6, 9), Fixtures.cifarBatch(2, 4),
        Fixtures.cifarBatch(3, 1), Fixtures.cifarBatch(4, 1), Fixtures.cifarBatch(5, 2), Fixtures.cifarBatch(100, 3, 8)};
    private final String[] batchNames = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"};

    private List<Entry> archiveEntries() {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.folder("cifar-10-batches-bin"));
        for (int i = 0; i < 6; i++) {
            entries.add(Entry.file("cifar-10-batches-bin/" + batchNames[i], batches[i]));
        }
        entries.add(Entry.file("cifar-10-batches-bin/batches.meta.txt", META.getBytes(StandardCharsets.UTF_8)));
        entries.add(Entry.file("cifar-10-batches-bin/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8)));
        return entries;
    }

    private final byte[] archive = Fixtures.tarGz(archiveEntries());

    private CifarSource source(List<URI> mirrors) {
        List<PublishedFile> train = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            train.add(PublishedFile.plain(batchNames[i], Md5.of(batches[i])));
        }
        return new CifarSource(ImageDatasetId.CIFAR10, NAMES, PublishedFile.plain("cifar-10-binary.tar.gz",
                Md5.of(archive)), train, PublishedFile.plain("test_batch.bin", Md5.of(batches[5])), mirrors);
    }

    private Path writeFolder(Path dir, boolean withMeta) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < 6; i++) {
            Files.write(dir.resolve(batchNames[i]), batches[i]);
        }
        if (withMeta) {
            Files.writeString(dir.resolve("batches.meta.txt"), META);
        }
        return dir;
    }

    private DataOptions options(Path dataDir) {
        return RealData.only(dataDir, tmp.resolve("cache")).withDownloadSettings(ImageDatasetsTest.QUICK);
    }

    private ImageData load(DataOptions options) {
        return ImageDatasets.load(source(List.of()), options);
    }

    @Test
    void readsTheExtractedFolder() throws IOException {
        Path dir = writeFolder(tmp.resolve("data/cifar-10-batches-bin"), true);

        ImageData data = load(options(tmp.resolve("data")));

        assertEquals(dir.toString(), data.source());
        assertEquals(NAMES, data.metadata().classNames());
        assertEquals(6, data.train().size());
        assertEquals(2, data.test().size());
        assertArrayEquals(new int[] {0, 2, 1, 0, 1, 0, 1, 0, 0, 1}, data.train().classCounts());
        assertEquals(8, data.test().label(1));
        // record r's pixel p is 3r + p: image 3 of train is record 3, test image 1 is record 101
        assertEquals((byte) (9 + 2000), data.train().image(3)[2000]);
        assertEquals((byte) (303 + 7), data.test().image(1)[7]);
        assertEquals(3, data.metadata().channels());
        assertEquals(3, data.metadata().mean().length);
    }

    @Test
    void readsAFolderThatIsTheBatchesFolderItself() throws IOException {
        Path dir = writeFolder(tmp.resolve("batches"), true);
        assertEquals(dir.toString(), load(options(dir)).source());
    }

    @Test
    void missingMetaFallsBackToThePublishedNames() throws IOException {
        writeFolder(tmp.resolve("data/cifar-10-batches-bin"), false);
        assertEquals(NAMES, load(options(tmp.resolve("data"))).metadata().classNames());
    }

    @Test
    void extractsAnArchiveFromTheDataFolderIntoTheCache() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("cifar-10-binary.tar.gz"), archive);

        ImageData loaded = load(options(data));

        Path extracted = tmp.resolve("cache/cifar10/cifar-10-batches-bin");
        assertEquals(extracted.toString(), loaded.source());
        assertEquals(List.of("cifar-10-batches-bin"), names(tmp.resolve("cache/cifar10")));
        assertEquals(List.of("batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                "data_batch_4.bin", "data_batch_5.bin", "readme.html", "test_batch.bin"), names(extracted));
        // the archive stays where the user put it; the next run reads the cache
        assertTrue(Files.exists(data.resolve("cifar-10-binary.tar.gz")));
        assertEquals(extracted.toString(), load(options(null)).source());
    }

    @Test
    void acceptsARepackedArchiveWhoseBatchesMatch() throws IOException {
        byte[] repacked = Fixtures.gzip(Fixtures.tar(archiveEntries()), 1);
        assertFalse(Md5.of(repacked).equals(Md5.of(archive)));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("cifar-10-binary.tar.gz"), repacked);

        assertEquals(6, load(options(data)).train().size());
    }

    @Test
    void tarSlipArchiveIsRefusedAndLeavesTheCacheClean() throws IOException {
        List<Entry> entries = new ArrayList<>(archiveEntries());
        entries.add(1, Entry.file("../../../escaped.txt", "pwned".getBytes(StandardCharsets.UTF_8)));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("cifar-10-binary.tar.gz"), Fixtures.tarGz(entries));

        DatasetException e = assertThrows(DatasetException.class, () -> load(options(data)));

        assertTrue(e.getMessage().contains("entry '../../../escaped.txt'"), e.getMessage());
        assertTrue(e.getMessage().contains("tar slip"), e.getMessage());
        assertEquals(List.of(), names(tmp.resolve("cache/cifar10")));
        assertEquals(List.of("cache", "data"), names(tmp));
    }

    @Test
    void archiveWithoutTheBinaryFolderIsExplained() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("cifar-10-binary.tar.gz"),
                Fixtures.tarGz(List.of(Entry.file("cifar-10-batches-py/data_batch_1", new byte[10]))));

        DatasetException e = assertThrows(DatasetException.class, () -> load(options(data)));

        assertTrue(e.getMessage().contains("has no cifar-10-batches-bin/ folder, so it is not the binary CIFAR-10"),
                e.getMessage());
        assertEquals(List.of(), names(tmp.resolve("cache/cifar10")));
    }

    @Test
    void batchWithATruncatedRecordNamesTheFile() throws IOException {
        batches[2] = Fixtures.head(batches[2], 3000);
        Path dir = writeFolder(tmp.resolve("data/cifar-10-batches-bin"), true);

        DatasetException e = assertThrows(DatasetException.class, () -> load(options(tmp.resolve("data"))));

        assertTrue(e.getMessage().startsWith(dir.resolve("data_batch_3.bin") + " has 3000 bytes, which is not a whole"
                + " number of 3073-byte CIFAR-10 records"), e.getMessage());
    }

    @Test
    void labelAboveNineNamesFileAndRecord() throws IOException {
        batches[5] = Fixtures.cifarBatch(100, 3, 12);
        Path dir = writeFolder(tmp.resolve("data/cifar-10-batches-bin"), true);

        DatasetException e = assertThrows(DatasetException.class, () -> load(options(tmp.resolve("data"))));

        assertEquals(dir.resolve("test_batch.bin") + ": record 1 has label 12, but CIFAR-10 labels are 0 to 9. The file"
                + " is corrupt or not a CIFAR-10 batch: replace it with the one from the published"
                + " cifar-10-binary.tar.gz.", e.getMessage());
    }

    @Test
    void changedBatchFailsItsChecksum() throws IOException {
        CifarSource published = source(List.of());
        batches[1][500] ^= 1;
        Path dir = writeFolder(tmp.resolve("data/cifar-10-batches-bin"), true);

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDatasets.load(published, options(tmp.resolve("data"))));

        assertTrue(e.getMessage().startsWith(dir.resolve("data_batch_2.bin") + " failed its checksum"), e.getMessage());
    }

    @Test
    void downloadsAndExtractsTheArchiveIntoTheCache() throws IOException {
        try (LoopbackServer server = new LoopbackServer()) {
            server.on("/kriz/cifar-10-binary.tar.gz", serve(archive));

            ImageData data = ImageDatasets.load(source(List.of(server.url("/kriz/"))), options(null).withOffline(false));

            assertEquals(6, data.train().size());
            // only the extracted folder stays: no archive, no part file, no temporary folder
            assertEquals(List.of("cifar-10-batches-bin"), names(tmp.resolve("cache/cifar10")));
        }
    }

    @Test
    void corruptDownloadedArchiveLeavesTheCacheClean() throws IOException {
        try (LoopbackServer server = new LoopbackServer()) {
            server.on("/kriz/cifar-10-binary.tar.gz", serve(Fixtures.head(archive, archive.length - 100)));

            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                    () -> ImageDatasets.load(source(List.of(server.url("/kriz/"))), options(null).withOffline(false)));

            assertTrue(e.getMessage().contains(server.url("/kriz/cifar-10-binary.tar.gz") + ": could not extract"),
                    e.getMessage());
            assertEquals(List.of(), names(tmp.resolve("cache/cifar10")));
        }
    }
}
