package io.github.rosettadl.datasets;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;

import io.github.rosettadl.datasets.download.ProgressSink;
import io.github.rosettadl.datasets.files.PublishedFile;
import io.github.rosettadl.datasets.files.VerifiedFileReader;
import io.github.rosettadl.datasets.idx.IdxArray;
import io.github.rosettadl.datasets.idx.IdxReader;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures what the datasets module promises: parsing full MNIST train (gunzip, both md5s, IDX
 * checks) and building batches (gather uint8, one NDArray, float32 and normalisation in the
 * engine) on one core. Not a test: run it on a quiet machine, pinned to one core:
 *
 * <pre>
 * DJL_OFFLINE=true OPT_OUT_TRACKING=true taskset -c 0 \
 *   mvn -q -o -pl datasets -Pbench test-compile exec:java -Dexec.args="../shared/data"
 * </pre>
 *
 * <p>Each figure is the median of several timed runs after warm-up runs, so the JIT has compiled
 * the loops; the first, cold run of the parse is printed too. Batch rates are measured in a second
 * pass over all configurations, after a first pass that only warms up.
 */
public final class DatasetBenchmark {

    private static final int WARM_UP = 3;
    private static final int RUNS = 7;

    private DatasetBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the data folder holding {@code mnist/} and {@code cifar-10-batches-bin/}
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data").toAbsolutePath().normalize();
        // one intra-op thread: the batch figures are per core
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.out.printf(Locale.ROOT, "data %s, %d available processor(s), Java %s%n", data,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        parseMnistTrain(data.resolve("mnist"));
        DataOptions options = DataOptions.defaults().withDataDir(data).withSystemDirs(List.of())
                .withCacheDir(Files.createTempDirectory("bench-cache")).withOffline(true)
                .withProgress(ProgressSink.silent());
        ImageData mnist = timeLoad("MNIST", () -> ImageDatasets.load(ImageDatasetId.MNIST, options));
        ImageData cifar = timeLoad("CIFAR-10", () -> ImageDatasets.load(ImageDatasetId.CIFAR10, options));

        Engine engine = Engine.getEngine("PyTorch");
        System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion());
        // the first pass only warms the JIT and libtorch's allocator for every configuration
        for (boolean report : new boolean[] {false, true}) {
            for (int batchSize : new int[] {64, 128}) {
                for (Normalization normalization : Normalization.values()) {
                    batchRate("MNIST", mnist.train(), batchSize, normalization, report);
                    batchRate("CIFAR-10", cifar.train(), batchSize, normalization, report);
                }
            }
        }
    }

    private static void parseMnistTrain(Path dir) {
        List<PublishedFile> files = List.of(
                new PublishedFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                        "6bbc9ace898e44ae57da46a324031adb"),
                new PublishedFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                        "a25bea736e30d166cdddb491f175f624"));
        double[] seconds = new double[WARM_UP + RUNS];
        for (int run = 0; run < seconds.length; run++) {
            long start = System.nanoTime();
            IdxArray images = VerifiedFileReader.read(dir.resolve(files.get(0).name()), files.get(0),
                    in -> IdxReader.read(in, "train-images", 3));
            IdxArray labels = VerifiedFileReader.read(dir.resolve(files.get(1).name()), files.get(1),
                    in -> IdxReader.read(in, "train-labels", 1));
            seconds[run] = (System.nanoTime() - start) / 1e9;
            if (images.count() != labels.count()) {
                throw new IllegalStateException("counts differ");
            }
        }
        System.out.printf(Locale.ROOT, "parse MNIST train (gunzip + 2 md5 + IDX checks, 60,000 images): "
                + "median %.3f s, first (cold) %.3f s%n", median(seconds, WARM_UP), seconds[0]);
    }

    private interface Loader {
        ImageData load();
    }

    private static ImageData timeLoad(String name, Loader loader) {
        double[] seconds = new double[1 + 3];
        ImageData data = null;
        for (int run = 0; run < seconds.length; run++) {
            long start = System.nanoTime();
            data = loader.load();
            seconds[run] = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf(Locale.ROOT, "load %s (train + test, verified, with mean/std): median %.3f s,"
                + " first %.3f s%n", name, median(seconds, 1), seconds[0]);
        return data;
    }

    private static void batchRate(String name, ImageSplit split, int batchSize, Normalization normalization,
            boolean report) {
        ImageBatches batches = split.batches(batchSize, true, 42, normalization);
        double[] rates = new double[WARM_UP + RUNS];
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (int epoch = 0; epoch < rates.length; epoch++) {
                long start = System.nanoTime();
                int images = 0;
                for (Batch batch : batches.epoch(manager, epoch)) {
                    images += batch.getSize();
                    batch.close();
                }
                rates[epoch] = images / ((System.nanoTime() - start) / 1e9);
            }
        }
        if (report) {
            System.out.printf(Locale.ROOT, "batches %-8s batch %3d %-10s shuffled: median %,9.0f images/s%n", name,
                    batchSize, normalization, median(rates, WARM_UP));
        }
    }

    private static double median(double[] values, int skip) {
        double[] timed = Arrays.copyOfRange(values, skip, values.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
