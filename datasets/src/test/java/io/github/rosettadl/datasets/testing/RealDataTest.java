package io.github.rosettadl.datasets.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.files.ChecksumMismatchException;
import io.github.rosettadl.datasets.files.Md5;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The real data: exact counts, the per-class histograms and checksums (of the full data as
 * published, or of the bundled subset as a plain Python reader counts
 * them), and pixel values read with an independent reader. The subset holds the first records of
 * the published files, so the first images agree with the full data's.
 */
class RealDataTest {

    @TempDir
    Path cache;

    @Test
    void mnistHasThePublishedCountsHistogramsAndPixels() throws IOException {
        Path data = RealData.requireMnist();
        boolean full = RealData.full();
        assertEquals(full ? "f68b3c2dcbeaaa9fbdd348bbdeb94873" : "2e1ca22449166dc3ca1a1f2dcd2218a5",
                Md5.of(data.resolve("mnist/train-images-idx3-ubyte.gz")));
        assertEquals(full ? "ec29112dd5afa0611ce80d1b7f02629c" : "93c1d59dcadab76fe2e00dc5daf65d1a",
                Md5.of(data.resolve("mnist/t10k-labels-idx1-ubyte.gz")));

        ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, RealData.only(data, cache));

        ImageMetadata m = mnist.metadata();
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), m.classNames());
        assertEquals(1, m.channels());
        assertEquals(28, m.height());
        assertEquals(28, m.width());
        // the full set gives the values torchvision's examples normalise with; the subset comes close
        assertEquals(full ? 0.1307f : 0.1302f, m.mean()[0], 1e-4f);
        assertEquals(full ? 0.3081f : 0.3077f, m.std()[0], 1e-4f);

        int trainSize = full ? 60_000 : 2_000;
        assertEquals(trainSize, mnist.train().size());
        assertEquals(full ? 10_000 : 500, mnist.test().size());
        assertEquals(trainSize * 784, mnist.train().pixels().length);
        assertArrayEquals(full ? new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
                : new int[] {191, 220, 198, 191, 214, 180, 200, 224, 172, 210}, mnist.train().classCounts());
        assertArrayEquals(full ? new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
                : new int[] {42, 67, 55, 45, 55, 50, 43, 49, 40, 54}, mnist.test().classCounts());

        // first labels and pixels, as a plain gzip + byte reader in Python sees them
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, labels(mnist.train(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, labels(mnist.test(), 10));
        byte[] first = mnist.train().image(0);
        assertEquals(27_525, sum(first));
        assertEquals(3, first[152] & 0xFF);
        assertEquals(126, first[156] & 0xFF);
        assertEquals(240, first[14 * 28 + 14] & 0xFF);
        assertEquals(full ? 8 : 0, mnist.train().label(trainSize - 1));
        assertEquals(full ? 20_920 : 60_962, sum(mnist.train().image(trainSize - 1)));
        assertEquals(18_454, sum(mnist.test().image(0)));
    }

    @Test
    void cifar10HasThePublishedCountsHistogramsAndPixels() throws IOException {
        Path data = RealData.requireCifar();
        boolean full = RealData.full();
        assertEquals(full ? "5dd7e06a14cb22eb9f671a540d1b7c25" : "b2417e1fdaa1222e83f70d58f90e661b",
                Md5.of(data.resolve("cifar-10-batches-bin/data_batch_1.bin")));
        assertEquals(full ? "803d5f7f4d78ea53de84dbe85f74fb6d" : "602a69095abb5be5788649af0ec78c55",
                Md5.of(data.resolve("cifar-10-batches-bin/test_batch.bin")));

        ImageData cifar = ImageDatasets.load(ImageDatasetId.CIFAR10, RealData.only(data, cache));

        ImageMetadata m = cifar.metadata();
        // read from batches.meta.txt, whose trailing blank line must not become an eleventh class
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                m.classNames());
        assertEquals(3, m.channels());
        assertEquals(32, m.height());
        assertArrayEquals(full ? new float[] {0.4914f, 0.4822f, 0.4465f} : new float[] {0.4919f, 0.4774f, 0.4351f},
                m.mean(), 1e-4f);
        assertArrayEquals(full ? new float[] {0.2470f, 0.2435f, 0.2616f} : new float[] {0.2451f, 0.2392f, 0.2548f},
                m.std(), 1e-4f);

        int trainSize = full ? 50_000 : 350;
        assertEquals(trainSize, cifar.train().size());
        assertEquals(full ? 10_000 : 100, cifar.test().size());
        assertArrayEquals(full ? new int[] {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000}
                : new int[] {29, 38, 40, 36, 36, 30, 42, 37, 26, 36}, cifar.train().classCounts());
        assertArrayEquals(full ? new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}
                : new int[] {10, 6, 8, 10, 7, 8, 16, 11, 13, 11}, cifar.test().classCounts());

        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, labels(cifar.train(), 10));
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, labels(cifar.test(), 10));
        byte[] first = cifar.train().image(0);
        // red, green and blue planes of the first row start
        assertArrayEquals(new int[] {59, 43, 50, 68, 98}, unsigned(first, 0, 5));
        assertArrayEquals(new int[] {62, 46, 48, 54, 73}, unsigned(first, 1024, 5));
        assertArrayEquals(new int[] {63, 45, 43, 42, 52}, unsigned(first, 2048, 5));
        assertEquals(317_790, sum(first));
        assertEquals(full ? 1 : 5, cifar.train().label(trainSize - 1));
        assertEquals(full ? 405_136 : 402_089, sum(cifar.train().image(trainSize - 1)));
        assertEquals(332_962, sum(cifar.test().image(0)));
    }

    /**
     * A copy recompressed by a redistributor is accepted by the md5 of the bytes inside: Debian's
     * Fashion-MNIST package where it is installed (CI installs it), else the MNIST data recompressed here.
     */
    @Test
    void aRecompressedCopyIsAcceptedByItsContentChecksum() throws IOException {
        Path debian = RealData.debianFashion();
        if (debian != null) {
            debianFashionMnistIsAcceptedByItsContentChecksum(debian);
        } else {
            System.out.println("Debian's Fashion-MNIST is not installed: recompressing MNIST instead");
            recompressedMnistIsAcceptedFromASystemFolder();
        }
    }

    private void debianFashionMnistIsAcceptedByItsContentChecksum(Path debian) throws IOException {
        // Debian recompressed the files: the published md5 of the .gz does not match ...
        String published = "8d4fb7e6c68d591d4c3dfef9ec88bf0d";
        assertNotEquals(published, Md5.of(debian.resolve("train-images-idx3-ubyte.gz")));

        // ... and the loader still accepts it, from the system folder, because the bytes inside match
        DataOptions options = RealData.only(null, cache).withSystemDirs(List.of(debian.getParent()));
        ImageData fashion = ImageDatasets.load(ImageDatasetId.FASHION_MNIST, options);

        assertEquals(debian.toString(), fashion.source());
        assertEquals("T-shirt/top", fashion.metadata().classNames().get(0));
        assertEquals("Ankle boot", fashion.metadata().classNames().get(9));
        assertEquals(60_000, fashion.train().size());
        assertEquals(10_000, fashion.test().size());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000},
                fashion.train().classCounts());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                fashion.test().classCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, labels(fashion.train(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, labels(fashion.test(), 10));
        assertEquals(76_247, sum(fashion.train().image(0)));
        assertArrayEquals(new int[] {237, 226, 217, 223}, unsigned(fashion.train().image(0), 14 * 28 + 12, 4));
        assertEquals(33_456, sum(fashion.test().image(0)));
        assertEquals(0.2860f, fashion.metadata().mean()[0], 1e-4f);
        assertEquals(0.3530f, fashion.metadata().std()[0], 1e-4f);
    }

    private void recompressedMnistIsAcceptedFromASystemFolder() throws IOException {
        Path subset = RealData.subset().resolve("mnist");
        Path system = cache.resolve("system");
        Path copy = Files.createDirectories(system.resolve("mnist"));
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            byte[] inside;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(subset.resolve(name)))) {
                inside = in.readAllBytes();
            }
            Files.write(copy.resolve(name), Fixtures.gzip(inside, 1));
            assertNotEquals(Md5.of(subset.resolve(name)), Md5.of(copy.resolve(name)), name + " was recompressed");
        }

        DataOptions options = RealData.only(null, cache.resolve("cache")).withSystemDirs(List.of(system));
        ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, options);

        assertEquals(copy.toString(), mnist.source());
        assertEquals(2_000, mnist.train().size());
        assertEquals(500, mnist.test().size());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, labels(mnist.train(), 10));
        assertEquals(27_525, sum(mnist.train().image(0)));
    }

    @Test
    void aSubsetCutAnyOtherWayFailsItsChecksum() throws IOException {
        Path subset = RealData.subset().resolve("mnist");
        Path other = Files.createDirectories(cache.resolve("other/mnist"));
        for (String name : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(subset.resolve(name), other.resolve(name));
        }
        // the first 1,999 training images and labels: well-formed and consistent IDX files, but not the bundled cut
        cutToFirst(subset.resolve("train-images-idx3-ubyte.gz"), 1_999, 16, 784,
                other.resolve("train-images-idx3-ubyte.gz"));
        cutToFirst(subset.resolve("train-labels-idx1-ubyte.gz"), 1_999, 8, 1,
                other.resolve("train-labels-idx1-ubyte.gz"));

        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> ImageDatasets.load(ImageDatasetId.MNIST, RealData.only(other.getParent(), cache.resolve("c"))));
        assertTrue(e.getMessage().contains(other.resolve("train-images-idx3-ubyte.gz") + " failed its checksum"),
                e.getMessage());
    }

    /** Writes the first {@code n} records of a gzipped IDX file, its count changed to match. */
    private static void cutToFirst(Path idx, int n, int headerBytes, int recordBytes, Path to) throws IOException {
        byte[] content;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(idx))) {
            content = in.readAllBytes();
        }
        byte[] cut = Arrays.copyOf(content, headerBytes + n * recordBytes);
        ByteBuffer.wrap(cut).putInt(4, n);
        Files.write(to, Fixtures.gzip(cut, 9));
    }

    private static int[] labels(ImageSplit split, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = split.label(i);
        }
        return out;
    }

    private static int[] unsigned(byte[] bytes, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = bytes[from + i] & 0xFF;
        }
        return out;
    }

    private static long sum(byte[] bytes) {
        long s = 0;
        for (byte b : bytes) {
            s += b & 0xFF;
        }
        return s;
    }
}
