package io.github.rosettadl.datasets.source;

import static io.github.rosettadl.datasets.download.LoopbackServer.cutAfter;
import static io.github.rosettadl.datasets.download.LoopbackServer.serve;
import static io.github.rosettadl.datasets.download.LoopbackServer.status;
import static io.github.rosettadl.datasets.source.ImageDatasetsTest.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.DownloadSettings;
import io.github.rosettadl.datasets.download.LoopbackServer;
import io.github.rosettadl.datasets.download.RecordingProgress;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;
import io.github.rosettadl.datasets.testing.RealData;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The published catalogue end to end: the real files (full, or the bundled subset), served by a
 * loopback mirror, downloaded, checked against the published md5s, cached, and batched on the engine.
 */
class RealDownloadTest {

    @TempDir
    Path cache;

    @Test
    void realMnistDownloadsThroughAFlakyMirrorAndBatches() throws IOException {
        Path mnist = RealData.requireMnist().resolve("mnist");
        RecordingProgress progress = new RecordingProgress();
        try (LoopbackServer server = new LoopbackServer()) {
            for (String name : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz")) {
                server.on("/mnist/" + name, serve(Files.readAllBytes(mnist.resolve(name))));
            }
            byte[] trainImages = Files.readAllBytes(mnist.resolve("train-images-idx3-ubyte.gz"));
            // the big file: a server error, then a cut half-way, then the rest on request
            server.on("/mnist/train-images-idx3-ubyte.gz", status(502), cutAfter(trainImages, trainImages.length / 2),
                    serve(trainImages));
            DataOptions options = RealData.only(null, cache).withOffline(false).withProgress(progress)
                    .withDownloadSettings(new DownloadSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 3,
                            Duration.ZERO))
                    .withMirrors(ImageDatasetId.MNIST, List.of(server.url("/mnist/")));

            ImageData data = ImageDatasets.load(ImageDatasetId.MNIST, options);

            assertEquals(cache.resolve("mnist").toString(), data.source());
            assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), names(cache.resolve("mnist")));
            List<LoopbackServer.Request> big = server.requests("/mnist/train-images-idx3-ubyte.gz");
            assertEquals(3, big.size());
            assertTrue(big.get(2).range().startsWith("bytes="), "resumed with " + big.get(2).range());
            assertTrue(progress.events().contains("finish " + trainImages.length), progress.events().toString());
            assertArrayEquals(RealData.full()
                    ? new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
                    : new int[] {191, 220, 198, 191, 214, 180, 200, 224, 172, 210}, data.train().classCounts());

            try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                    Batch batch = data.train().batches(64, false, 0, Normalization.DIVIDE_255)
                            .epoch(manager, 0).iterator().next()) {
                assertEquals(new Shape(64, 1, 28, 28), batch.getData().singletonOrThrow().getShape());
                float[] first = batch.getData().singletonOrThrow().toFloatArray();
                assertEquals(240 / 255f, first[14 * 28 + 14], 1e-6f);
                assertEquals(5L, batch.getLabels().singletonOrThrow().getLong(0));
            }
        }
    }

    @Test
    void repackedRealCifarArchiveDownloadsAndExtracts() throws IOException {
        Path batches = RealData.requireCifar().resolve("cifar-10-batches-bin");
        byte[] archive = repack(batches);
        try (LoopbackServer server = new LoopbackServer()) {
            server.on("/kriz/cifar-10-binary.tar.gz", serve(archive));
            DataOptions options = RealData.only(null, cache).withOffline(false)
                    .withMirrors(ImageDatasetId.CIFAR10, List.of(server.url("/kriz/")));

            ImageData data = ImageDatasets.load(ImageDatasetId.CIFAR10, options);

            assertEquals(List.of("cifar-10-batches-bin"), names(cache.resolve("cifar10")));
            assertEquals(RealData.full() ? 50_000 : 350, data.train().size());
            assertEquals(RealData.full() ? 10_000 : 100, data.test().size());
            assertEquals(6, data.train().label(0));
            try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                    Batch batch = data.test().batches(100, false, 0, Normalization.MEAN_STD)
                            .epoch(manager, 0).iterator().next()) {
                assertEquals(new Shape(100, 3, 32, 32), batch.getData().singletonOrThrow().getShape());
                // over 100 images the normalised values centre near zero
                float mean = batch.getData().singletonOrThrow().mean().getFloat();
                assertTrue(Math.abs(mean) < 0.3f, "mean " + mean);
            }
        }
    }

    /**
     * The CIFAR-10 files (full or the bundled subset) as an uncompressed tar served under the published name: not the
     * published archive (the extractor goes by content, not by name, and compressing 180 MB here
     * would only slow the suite), but the same batches, so their published md5s must match.
     */
    private static byte[] repack(Path batches) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(RealData.full() ? 190_000_000 : 2_000_000);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin", "test_batch.bin", "batches.meta.txt")) {
                byte[] content = Files.readAllBytes(batches.resolve(name));
                TarArchiveEntry entry = new TarArchiveEntry("cifar-10-batches-bin/" + name);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
