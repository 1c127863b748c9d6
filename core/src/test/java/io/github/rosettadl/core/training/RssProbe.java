package io.github.rosettadl.core.training;

import ai.djl.Device;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains on real MNIST and prints the resident set size after every epoch, not a test:
 * {@code java ... RssProbe <mlp|simple-cnn> <images> <epochs> <threads>}. Reads {@code ../shared/data}.
 */
public final class RssProbe {

    private RssProbe() {
    }

    public static void main(String[] args) throws IOException {
        ModelSpec spec = args[0].equals("mlp") ? new Mlp.Spec(new ImageShape(1, 28, 28), 10)
                : new SimpleCNN.Spec(new ImageShape(1, 28, 28), 10);
        int images = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(Integer.parseInt(args[3])));
        ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, DataOptions.defaults()
                .withDataDir(Path.of("..", "shared", "data").toAbsolutePath().normalize()).withOffline(true));
        EpochSource train = mnist.train().limit(images).batches(64, true, 42, Normalization.DIVIDE_255)::epoch;
        EpochSource test = mnist.test().batches(1000, false, 0, Normalization.DIVIDE_255)::epoch;
        System.out.printf(Locale.ROOT, "start RSS %d MB%n", rssMegabytes());
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.adam(1e-3f).withEpochs(epochs),
                Device.cpu())) {
            session.fit(train, test, m -> System.out.printf(Locale.ROOT,
                    "epoch %d loss %.4f acc %.4f val_acc %.4f %.1f s %.0f img/s RSS %d MB (Java heap committed %d MB,"
                            + " direct buffers %d MB)%n", m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valAccuracy(),
                    m.seconds(), m.imagesPerSecond(), rssMegabytes(), Runtime.getRuntime().totalMemory() >> 20,
                    directBufferBytes() >> 20));
        }
    }

    private static long directBufferBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static long rssMegabytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0) / 1024;
        } catch (IOException e) {
            return -1;
        }
    }
}
