package io.github.rosettadl.core.checkpoint;

import ai.djl.ndarray.types.Shape;

import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.OptimizerKind;
import io.github.rosettadl.core.training.TrainingConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a checkpoint's description against itself and against the sizes of its weight entries,
 * before anything is allocated: the records' constructors have checked each value alone (through
 * {@link RecordFieldErrors}), this checks how the values fit together. Each problem is a {@link
 * CheckpointException} that names the file and the field of {@code checkpoint.json} and says what
 * would fix it.
 */
final class DescriptionCheck {

    /** What fixes any damaged description: the file is written by training, not by hand. */
    static final String FIX = " Correct that field of checkpoint.json, or save the model again (train --save-model).";

    private static final String JSON = "checkpoint.json";

    private DescriptionCheck() {
    }

    /**
     * Checks everything that needs no engine: the description's fields against each other and the
     * described tensors against the bytes of {@code parameters.bin} and {@code optimizer.bin}.
     *
     * @param file the checkpoint, for messages
     * @param d the description
     * @param parameterBytes the length of {@code parameters.bin}
     * @param optimizerBytes the length of {@code optimizer.bin}, or -1 for a quantized checkpoint, which keeps none
     * @throws CheckpointException naming the first field that is out of range or disagrees
     */
    static void check(Path file, CheckpointDescription d, long parameterBytes, long optimizerBytes) {
        ModelSpec spec = d.model();
        checkInputShape(file, d.inputShape(), spec);
        checkTraining(file, d);
        checkData(file, d.data(), spec);
        long floats = checkTensors(file, d.parameters(), parameterBytes);
        checkOptimizer(file, d, floats, optimizerBytes);
    }

    /**
     * Checks the described tensors against the architecture the model arguments build, without
     * allocating the weights, so that arguments asking for more floats than the file holds are
     * refused before the model is built.
     *
     * @param file the checkpoint, for messages
     * @param d the description, already {@link #check checked}
     * @throws CheckpointException when a tensor's name or shape differs from the architecture's
     */
    static void checkArchitecture(Path file, CheckpointDescription d) {
        Map<String, Shape> expected = ParameterShapes.of(d.model());
        List<CheckpointDescription.Tensor> saved = d.parameters();
        String model = d.model().modelName();
        if (saved.size() != expected.size()) {
            throw fail(file, "parameters", "lists " + saved.size() + " weight tensors, but " + model
                    + " with these model.arguments has " + expected.size() + " (" + expected.keySet() + ").");
        }
        Iterator<Map.Entry<String, Shape>> want = expected.entrySet().iterator();
        for (int i = 0; i < saved.size(); i++) {
            CheckpointDescription.Tensor t = saved.get(i);
            Map.Entry<String, Shape> p = want.next();
            if (!p.getKey().equals(t.name()) || !Arrays.equals(p.getValue().getShape(), t.shape())) {
                throw fail(file, "parameters[" + i + "]", "is weight tensor " + t.name() + " " + new Shape(t.shape())
                        + ", but " + model + " with these model.arguments expects " + p.getKey() + " "
                        + p.getValue() + " at that place: model.arguments and parameters disagree.");
            }
        }
    }

    private static void checkInputShape(Path file, long[] inputShape, ModelSpec spec) {
        long[] expected = spec.exampleShape().getShape();
        if (inputShape == null || !Arrays.equals(inputShape, expected)) {
            throw fail(file, "inputShape", "is " + Arrays.toString(inputShape) + ", but the " + spec.modelName()
                    + " in model.arguments takes " + Arrays.toString(expected) + ".");
        }
        // one example becomes one Java array when an image is converted for prediction
        if (spec.exampleShape().size() > Integer.MAX_VALUE) {
            throw fail(file, "inputShape", "is " + Arrays.toString(inputShape) + ", more values per example than"
                    + " one Java array holds (" + Integer.MAX_VALUE + ").");
        }
    }

    private static void checkTraining(Path file, CheckpointDescription d) {
        TrainingConfig training = d.training();
        if (d.epoch() < 0 || d.epoch() > training.epochs()) {
            throw fail(file, "epoch", "is " + d.epoch() + ", but a run of training.epochs = " + training.epochs()
                    + " has done 0 to " + training.epochs() + " epochs.");
        }
        List<EpochMetrics> history = d.history();
        if (history.size() != d.epoch()) {
            throw fail(file, "history", "has " + history.size() + " epochs, but epoch says " + d.epoch()
                    + " were trained.");
        }
        for (int i = 0; i < history.size(); i++) {
            checkMetrics(file, "history[" + i + "]", history.get(i), i + 1);
        }
        EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
        if (last == null ? d.metrics() != null : !last.equals(d.metrics())) {
            throw fail(file, "metrics", "must repeat the last epoch of history"
                    + (last == null ? " and be null before the first epoch" : " (epoch " + last.epoch() + ")") + ".");
        }
    }

    private static void checkMetrics(Path file, String field, EpochMetrics m, int epoch) {
        if (m == null) {
            throw fail(file, field, "is empty.");
        }
        if (m.epoch() != epoch) {
            throw fail(file, field + ".epoch", "is " + m.epoch() + ", but it is entry " + epoch + " of the history.");
        }
        requireNonNegative(file, field + ".trainLoss", m.trainLoss(), false);
        requireFraction(file, field + ".trainAccuracy", m.trainAccuracy(), false);
        requireNonNegative(file, field + ".valLoss", m.valLoss(), true);
        requireFraction(file, field + ".valAccuracy", m.valAccuracy(), true);
        requireNonNegative(file, field + ".seconds", m.seconds(), false);
        requireNonNegative(file, field + ".imagesPerSecond", m.imagesPerSecond(), false);
    }

    private static void requireNonNegative(Path file, String field, double value, boolean nanAllowed) {
        if (!(value >= 0 || nanAllowed && Double.isNaN(value))) {
            throw fail(file, field, "is " + value + ", but it must be 0 or more" + (nanAllowed ? " (or NaN)" : "") + ".");
        }
    }

    private static void requireFraction(Path file, String field, double value, boolean nanAllowed) {
        if (!(value >= 0 && value <= 1 || nanAllowed && Double.isNaN(value))) {
            throw fail(file, field, "is " + value + ", but a fraction is between 0 and 1"
                    + (nanAllowed ? " (or NaN without validation data)" : "") + ".");
        }
    }

    private static void checkData(Path file, DataDescription data, ModelSpec spec) {
        List<String> names = data.classNames();
        if (names.size() != spec.outputs()) {
            throw fail(file, "data.classNames", "lists " + names.size() + " names, but the " + spec.modelName()
                    + " in model.arguments has " + spec.outputs() + " outputs: one name per output.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw fail(file, "data.classNames[" + i + "]", "repeats '" + names.get(i)
                        + "': every output needs its own name.");
            }
        }
        Optional<KnownDataset> known = KnownDataset.named(data.dataset());
        if (spec instanceof ImageModelSpec image) {
            checkNormalization(file, data.normalization(), image.input());
            if (known.isPresent() && !known.get().shape().equals(image.input())) {
                throw fail(file, "data.dataset", "says " + data.dataset() + ", whose images are "
                        + known.get().shape() + ", but inputShape and model.arguments.input are " + image.input()
                        + ".");
            }
            if (known.isPresent() && known.get().classes() != spec.outputs()) {
                throw fail(file, "data.dataset", "says " + data.dataset() + ", which has " + known.get().classes()
                        + " classes, but model.arguments.classes is " + spec.outputs() + ".");
            }
        } else if (spec instanceof CharRnn.Spec && known.isPresent()) {
            throw fail(file, "data.dataset", "says " + data.dataset() + ", an image data set, but the model is "
                    + spec.modelName() + ", which reads text.");
        }
    }

    private static void checkNormalization(Path file, Normalization normalization, ImageShape input) {
        if (normalization == null) {
            throw fail(file, "data.normalization", "is missing; an image model needs the mean and std its pixels"
                    + " were scaled with.");
        }
        if (normalization.channels() != input.channels()) {
            throw fail(file, "data.normalization", "has " + normalization.channels() + " channel(s), but"
                    + " model.arguments.input has " + input.channels() + ".");
        }
        float[] mean = normalization.mean();
        float[] std = normalization.std();
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c]) || !Float.isFinite(std[c])) {
                throw fail(file, "data.normalization", "channel " + c + " has mean " + mean[c] + " and std "
                        + std[c] + "; both must be finite numbers.");
            }
        }
    }

    /** Checks every shape and returns the number of floats the tensors hold together. */
    private static long checkTensors(Path file, List<CheckpointDescription.Tensor> tensors, long parameterBytes) {
        long floats = checkShapes(file, tensors);
        if (floats * Float.BYTES != parameterBytes) {
            throw fail(file, "parameters", "describes " + floats + " float32 values (" + floats * Float.BYTES
                    + " bytes), but parameters.bin holds " + parameterBytes + " bytes: the description and the weights"
                    + " disagree, or the file is truncated.");
        }
        return floats;
    }

    /**
     * Checks each described tensor's name and shape, before weights stored in another form (int8) are
     * expanded by them.
     *
     * @param file the checkpoint, for messages
     * @param tensors the described tensors
     * @return the number of values they hold together
     * @throws CheckpointException naming the first tensor without a name or with an invalid shape
     */
    static long checkShapes(Path file, List<CheckpointDescription.Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw fail(file, "parameters", "is empty; every model has weights.");
        }
        long floats = 0;
        for (int i = 0; i < tensors.size(); i++) {
            CheckpointDescription.Tensor t = tensors.get(i);
            String field = "parameters[" + i + "]";
            if (t == null || t.name() == null || t.name().isBlank() || t.shape() == null || t.shape().length == 0) {
                throw fail(file, field, "needs a name and a shape.");
            }
            long size = 1;
            for (long dimension : t.shape()) {
                if (dimension < 1) {
                    throw fail(file, field + ".shape", "of " + t.name() + " is " + Arrays.toString(t.shape())
                            + "; every dimension must be at least 1.");
                }
                size = size > Integer.MAX_VALUE / dimension ? Long.MAX_VALUE : size * dimension;
            }
            if (size > Integer.MAX_VALUE) {
                throw fail(file, field + ".shape", "of " + t.name() + " is " + Arrays.toString(t.shape())
                        + ", more values than one Java array holds (" + Integer.MAX_VALUE + ").");
            }
            floats += size;
        }
        return floats;
    }

    private static void checkOptimizer(Path file, CheckpointDescription d, long floats, long optimizerBytes) {
        CheckpointDescription.Optimizer optimizer = d.optimizer();
        TrainingConfig training = d.training();
        if (optimizer.kind() != training.optimizer()) {
            throw fail(file, "optimizer.kind", "is " + optimizer.kind() + ", but training.optimizer is "
                    + training.optimizer() + ".");
        }
        if (optimizer.steps() < d.epoch()) {
            throw fail(file, "optimizer.steps", "is " + optimizer.steps() + ", but " + d.epoch()
                    + " epochs take at least one step each.");
        }
        int buffers = optimizer.kind() == OptimizerKind.ADAM ? 2 : training.momentum() > 0 ? 1 : 0;
        if (optimizer.buffers() != buffers) {
            throw fail(file, "optimizer.buffers", "is " + optimizer.buffers() + ", but " + optimizer.kind()
                    + (optimizer.kind() == OptimizerKind.SGD ? " with momentum " + training.momentum() : "")
                    + " keeps " + buffers + ".");
        }
        // the optimiser keeps buffers for the trained weights, a part of parameters.bin
        boolean stored = optimizerBytes >= 0;
        if (stored && (optimizerBytes > floats * Float.BYTES * buffers || buffers > 0 && optimizerBytes == 0)) {
            throw fail(file, "optimizer.buffers", "says " + buffers + " buffer(s) over at most " + floats
                    + " values, but optimizer.bin holds " + optimizerBytes + " bytes: the file is truncated or corrupt.");
        }
    }

    private static CheckpointException fail(Path file, String field, String problem) {
        return new CheckpointException(file, JSON + " field " + field + " " + problem + FIX);
    }
}
