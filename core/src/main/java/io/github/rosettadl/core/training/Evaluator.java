package io.github.rosettadl.core.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;

import java.util.Arrays;

/**
 * Runs a classifier over a data source without gradients and measures loss and accuracy. The sums
 * stay on the device and are read once at the end, unless the predictions are kept.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Evaluates a model and keeps every label and prediction, for metrics and a confusion matrix.
     *
     * @param model a classifier
     * @param source the data, read as epoch 1
     * @return loss, accuracy, labels and predictions
     */
    public static Evaluation evaluate(Model model, EpochSource source) {
        return run(model.getBlock(), source, model.getNDManager(), 1, true);
    }

    static Evaluation run(Block block, EpochSource source, NDManager parent, int epoch, boolean keepPredictions) {
        JniUtils.setGradMode(false);
        Device device = parent.getDevice();
        long examples = 0;
        IntList labels = new IntList();
        IntList predictions = new IntList();
        try (NDManager manager = parent.newSubManager()) {
            ParameterStore parameterStore = new ParameterStore(manager, false);
            NDArray lossSum = manager.zeros(new Shape(), DataType.FLOAT64);
            NDArray correct = manager.zeros(new Shape(), DataType.INT64);
            for (Batch batch : source.batches(manager, epoch)) {
                try (Batch owned = batch) {
                    StepBatch b = StepBatch.of(owned, manager, device);
                    NDArray logits = block.forward(parameterStore, new NDList(b.x()), false).head();
                    lossSum.addi(SoftmaxCrossEntropy.sum(logits, b.y()));
                    NDArray predicted = logits.argMax(1);
                    correct.addi(predicted.eq(b.y()).sum());
                    examples += b.size();
                    if (keepPredictions) {
                        labels.addAll(b.y().toLongArray());
                        predictions.addAll(predicted.toLongArray());
                    }
                }
            }
            if (examples == 0) {
                throw new IllegalStateException("The evaluation data source gave no batches.");
            }
            return new Evaluation(examples, lossSum.getDouble() / examples, (double) correct.getLong() / examples,
                    labels.toArray(), predictions.toArray());
        }
    }

    /** A growable int array, to collect labels without boxing. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void addAll(long[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
            }
            for (long v : more) {
                values[size++] = Math.toIntExact(v);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
