package io.github.rosettadl.datasets.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.files.Md5;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The real data sets, where this machine has them: exact counts, the per-class histograms and
 * checksums from shared/data/README.md, and pixel values read with an independent reader.
 */
class RealDataTest {

    @TempDir
    Path cache;

    @Test
    void mnistHasThePublishedCountsHistogramsAndPixels() throws IOException {
        Path shared = RealData.requireMnist();
        assertEquals("f68b3c2dcbeaaa9fbdd348bbdeb94873", Md5.of(shared.resolve("mnist/train-images-idx3-ubyte.gz")));
        assertEquals("ec29112dd5afa0611ce80d1b7f02629c", Md5.of(shared.resolve("mnist/t10k-labels-idx1-ubyte.gz")));

        ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, RealData.only(shared, cache));

        ImageMetadata m = mnist.metadata();
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), m.classNames());
        assertEquals(1, m.channels());
        assertEquals(28, m.height());
        assertEquals(28, m.width());
        // the values torchvision's examples normalise with
        assertEquals(0.1307f, m.mean()[0], 1e-4f);
        assertEquals(0.3081f, m.std()[0], 1e-4f);

        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(60_000 * 784, mnist.train().pixels().length);
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                mnist.train().classCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                mnist.test().classCounts());

        // first labels and pixels, as a plain gzip + byte reader in Python sees them
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, labels(mnist.train(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, labels(mnist.test(), 10));
        byte[] first = mnist.train().image(0);
        assertEquals(27_525, sum(first));
        assertEquals(3, first[152] & 0xFF);
        assertEquals(126, first[156] & 0xFF);
        assertEquals(240, first[14 * 28 + 14] & 0xFF);
        assertEquals(8, mnist.train().label(59_999));
        assertEquals(20_920, sum(mnist.train().image(59_999)));
        assertEquals(18_454, sum(mnist.test().image(0)));
    }

    @Test
    void cifar10HasThePublishedCountsHistogramsAndPixels() throws IOException {
        Path shared = RealData.requireCifar();
        assertEquals("5dd7e06a14cb22eb9f671a540d1b7c25", Md5.of(shared.resolve("cifar-10-batches-bin/data_batch_1.bin")));
        assertEquals("803d5f7f4d78ea53de84dbe85f74fb6d", Md5.of(shared.resolve("cifar-10-batches-bin/test_batch.bin")));

        ImageData cifar = ImageDatasets.load(ImageDatasetId.CIFAR10, RealData.only(shared, cache));

        ImageMetadata m = cifar.metadata();
        // read from batches.meta.txt, whose trailing blank line must not become an eleventh class
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                m.classNames());
        assertEquals(3, m.channels());
        assertEquals(32, m.height());
        assertArrayEquals(new float[] {0.4914f, 0.4822f, 0.4465f}, m.mean(), 1e-4f);
        assertArrayEquals(new float[] {0.2470f, 0.2435f, 0.2616f}, m.std(), 1e-4f);

        assertEquals(50_000, cifar.train().size());
        assertEquals(10_000, cifar.test().size());
        assertArrayEquals(new int[] {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000},
                cifar.train().classCounts());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                cifar.test().classCounts());

        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, labels(cifar.train(), 10));
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, labels(cifar.test(), 10));
        byte[] first = cifar.train().image(0);
        // red, green and blue planes of the first row start
        assertArrayEquals(new int[] {59, 43, 50, 68, 98}, unsigned(first, 0, 5));
        assertArrayEquals(new int[] {62, 46, 48, 54, 73}, unsigned(first, 1024, 5));
        assertArrayEquals(new int[] {63, 45, 43, 42, 52}, unsigned(first, 2048, 5));
        assertEquals(317_790, sum(first));
        assertEquals(1, cifar.train().label(49_999));
        assertEquals(405_136, sum(cifar.train().image(49_999)));
        assertEquals(332_962, sum(cifar.test().image(0)));
    }

    @Test
    void debianFashionMnistIsAcceptedByItsContentChecksum() throws IOException {
        Path debian = RealData.requireDebianFashion();
        // Debian recompressed the files: the published md5 of the .gz does not match ...
        String published = "8d4fb7e6c68d591d4c3dfef9ec88bf0d";
        org.junit.jupiter.api.Assertions.assertNotEquals(published, Md5.of(debian.resolve("train-images-idx3-ubyte.gz")));

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
