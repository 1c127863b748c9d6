package io.github.rosettadl.core.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * Measures milliseconds per training step, not a test: {@code java ... StepTimeProbe <mlp|simple-cnn>
 * <session|trainer> <threads> <warm-up steps> <timed epochs> <steps per epoch>}.
 *
 * <p>{@code session} is {@link TrainingSession#trainEpoch}; {@code trainer} is the same lean loop
 * (per-step manager, the same loss and accuracy ops) with DJL's {@code Trainer.step()} and DJL's
 * Adam instead of the flat Adam. Batches of 64 random MNIST-shaped images are views of one array,
 * so data costs next to nothing. Prints the median, 10th and 90th percentile of the per-epoch mean
 * step time, and the peak RSS.
 */
public final class StepTimeProbe {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final int BATCH = 64;

    private StepTimeProbe() {
    }

    public static void main(String[] args) throws IOException {
        String modelName = args[0];
        String variant = args[1];
        int threads = Integer.parseInt(args[2]);
        int warmUp = Integer.parseInt(args[3]);
        int epochs = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(threads));
        ModelSpec spec = modelName.equals("mlp") ? new Mlp.Spec(MNIST, 10) : new SimpleCNN.Spec(MNIST, 10);
        try (NDManager data = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = data.randomUniform(0f, 1f, MNIST.withBatch((long) BATCH * steps));
            NDArray y = data.randomInteger(0, 10, new Shape((long) BATCH * steps), DataType.INT64);
            EpochSource source = (manager, epoch) -> () -> batches(manager, x, y, steps);
            EpochSource warmSource = (manager, epoch) -> () -> batches(manager, x, y, Math.min(steps, warmUp));
            double[] msPerStep = new double[epochs];
            if (variant.equals("session")) {
                try (TrainingSession session = TrainingSession.start(spec,
                        TrainingConfig.adam(1e-3f).withEpochs(Integer.MAX_VALUE), Device.cpu())) {
                    for (int done = 0; done < warmUp; done += Math.min(steps, warmUp)) {
                        session.trainEpoch(warmSource, null);
                    }
                    for (int e = 0; e < epochs; e++) {
                        long t0 = System.nanoTime();
                        session.trainEpoch(source, null);
                        msPerStep[e] = (System.nanoTime() - t0) / 1e6 / steps;
                    }
                }
            } else if (variant.equals("ab")) {
                alternate(spec, source, warmUp / steps + 1, epochs, steps);
                return;
            } else if (variant.equals("breakdown")) {
                breakdown(spec, source, warmUp / steps + 1, epochs);
                return;
            } else {
                try (Model model = spec.newModel(Device.cpu());
                        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
                    JniUtils.setGradMode(false);
                    for (int done = 0; done < warmUp; done += Math.min(steps, warmUp)) {
                        trainerEpoch(trainer, warmSource);
                    }
                    for (int e = 0; e < epochs; e++) {
                        long t0 = System.nanoTime();
                        trainerEpoch(trainer, source);
                        msPerStep[e] = (System.nanoTime() - t0) / 1e6 / steps;
                    }
                }
            }
            Arrays.sort(msPerStep);
            System.out.printf(Locale.ROOT, "%s %s threads=%d median=%.3f p10=%.3f p90=%.3f ms/step peakRSS=%s%n",
                    modelName, variant, threads, msPerStep[epochs / 2], msPerStep[epochs / 10],
                    msPerStep[epochs * 9 / 10], peakRss());
        }
    }

    /**
     * The session's step, phase by phase, with a clock read between phases: prints the median
     * microseconds of each phase over the timed epochs' steps.
     */
    private static void breakdown(ModelSpec spec, EpochSource source, int warmEpochs, int epochs) {
        String[] phases = {"batch", "bind", "forward", "loss+read", "backward", "accuracy", "optimizer", "close"};
        int steps = 0;
        java.util.List<long[]> samples = new java.util.ArrayList<>();
        try (Model model = spec.newModel(Device.cpu())) {
            JniUtils.setGradMode(false);
            java.util.List<NDArray> arrays = ((io.github.rosettadl.core.models.SeedModel) model.getBlock())
                    .namedParameters().values().stream().map(ai.djl.nn.Parameter::getArray).toList();
            try (FlatParameters flat = new FlatParameters(arrays, model.getNDManager())) {
                FlatOptimizer optimizer = FlatOptimizer.create(flat, TrainingConfig.adam(1e-3f));
                ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(model.getNDManager(), false);
                ai.djl.pytorch.engine.PtNDArray minusOne = (ai.djl.pytorch.engine.PtNDArray) flat.manager().create(-1f);
                for (int e = 0; e < warmEpochs + epochs; e++) {
                    try (NDManager epochManager = model.getNDManager().newSubManager()) {
                        NDArray correct = epochManager.zeros(new Shape(), DataType.INT64);
                        Iterator<Batch> it = source.batches(epochManager, e + 1).iterator();
                        while (it.hasNext()) {
                            long[] t = new long[phases.length + 1];
                            t[0] = System.nanoTime();
                            Batch batch = it.next();
                            StepBatch b = StepBatch.of(batch, epochManager, Device.cpu());
                            t[1] = System.nanoTime();
                            NDArray logits;
                            NDArray leaf;
                            try (GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
                                leaf = flat.bind(b.manager());
                                t[2] = System.nanoTime();
                                logits = model.getBlock().forward(store, new NDList(b.x()), true).head();
                                t[3] = System.nanoTime();
                                NDArray logLikelihood = SoftmaxCrossEntropy.meanLabelLogProbability(logits, b.y());
                                logLikelihood.toByteBuffer(false).getFloat();
                                t[4] = System.nanoTime();
                                JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) logLikelihood, minusOne, false, false);
                            }
                            t[5] = System.nanoTime();
                            correct.addi(logits.argMax(1).eq(b.y()).sum());
                            t[6] = System.nanoTime();
                            try (NDArray gradients = leaf.getGradient()) {
                                optimizer.step(gradients);
                            }
                            t[7] = System.nanoTime();
                            batch.close();
                            t[8] = System.nanoTime();
                            if (e >= warmEpochs) {
                                samples.add(t);
                            }
                            steps++;
                        }
                    }
                }
            }
        }
        StringBuilder line = new StringBuilder("breakdown (median us/step):");
        double total = 0;
        for (int p = 0; p < phases.length; p++) {
            final int phase = p;
            double[] d = samples.stream().mapToDouble(t -> (t[phase + 1] - t[phase]) / 1e3).sorted().toArray();
            total += d[d.length / 2];
            line.append(String.format(Locale.ROOT, " %s=%.1f", phases[p], d[d.length / 2]));
        }
        System.out.println(line.append(String.format(Locale.ROOT, " sum=%.1f over %d steps", total, samples.size())));
    }

    /**
     * Both loops in one process, an epoch of each in turn, so that load from other processes hits
     * both alike: prints each one's median and the median of the per-pair ratios.
     */
    private static void alternate(ModelSpec spec, EpochSource source, int warmEpochs, int epochs, int steps) {
        double[] session = new double[epochs];
        double[] trainer = new double[epochs];
        double[] ratio = new double[epochs];
        try (TrainingSession ours = TrainingSession.start(spec,
                TrainingConfig.adam(1e-3f).withEpochs(Integer.MAX_VALUE), Device.cpu());
                Model model = spec.newModel(Device.cpu());
                Trainer djl = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
            for (int e = 0; e < warmEpochs + epochs; e++) {
                long t0 = System.nanoTime();
                ours.trainEpoch(source, null);
                long t1 = System.nanoTime();
                JniUtils.setGradMode(false);
                trainerEpoch(djl, source);
                long t2 = System.nanoTime();
                if (e >= warmEpochs) {
                    int i = e - warmEpochs;
                    session[i] = (t1 - t0) / 1e6 / steps;
                    trainer[i] = (t2 - t1) / 1e6 / steps;
                    ratio[i] = session[i] / trainer[i];
                }
            }
        }
        Arrays.sort(session);
        Arrays.sort(trainer);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "alternating: session median=%.3f p10=%.3f, trainer median=%.3f p10=%.3f ms/step,"
                + " session/trainer median=%.3f (p10 %.3f, p90 %.3f)%n", session[epochs / 2], session[epochs / 10],
                trainer[epochs / 2], trainer[epochs / 10], ratio[epochs / 2], ratio[epochs / 10], ratio[epochs * 9 / 10]);
    }

    private static void trainerEpoch(Trainer trainer, EpochSource source) {
        try (NDManager epochManager = trainer.getManager().newSubManager()) {
            NDArray correct = epochManager.zeros(new Shape(), DataType.INT64);
            for (Batch batch : source.batches(epochManager, 1)) {
                try (Batch owned = batch) {
                    StepBatch b = StepBatch.of(owned, epochManager, Device.cpu());
                    NDArray logits;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        logits = trainer.forward(new NDList(b.x())).head();
                        NDArray loss = SoftmaxCrossEntropy.mean(logits, b.y());
                        if (!Float.isFinite(loss.toByteBuffer(false).getFloat())) {
                            throw new IllegalStateException("loss");
                        }
                        collector.backward(loss);
                    }
                    correct.addi(logits.argMax(1).eq(b.y()).sum());
                    trainer.step();
                }
            }
            correct.getLong();
        }
    }

    private static Iterator<Batch> batches(NDManager manager, NDArray x, NDArray y, int steps) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < steps;
            }

            @Override
            public Batch next() {
                NDManager batchManager = manager.newSubManager();
                NDIndex rows = new NDIndex().addSliceDim((long) i * BATCH, (long) (i + 1) * BATCH);
                NDArray bx = x.get(rows);
                NDArray by = y.get(rows);
                i++;
                return new Batch(batchManager, new NDList(bx), new NDList(by), BATCH, Batchifier.STACK,
                        Batchifier.STACK, i, steps);
            }
        };
    }

    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst()
                .orElse("?");
    }
}
