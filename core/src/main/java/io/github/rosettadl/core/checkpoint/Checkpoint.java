package io.github.rosettadl.core.checkpoint;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import io.github.rosettadl.core.compression.SparseParameters;
import io.github.rosettadl.core.compression.QuantizedCheckpoint;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.OptimizerState;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Saves and loads checkpoints: one zip file with {@code checkpoint.json} (a
 * {@link CheckpointDescription}), {@code parameters.bin} (every weight, float32 little-endian, in
 * the described order) and {@code optimizer.bin} (the optimiser's buffers, the same layout).
 *
 * <pre>{@code
 * Checkpoint.save(Path.of("mnist-cnn.ckpt"), session, data);            // atomic: temp file, then rename
 * try (LoadedCheckpoint loaded = Checkpoint.load(Path.of("mnist-cnn.ckpt"), Device.cpu())) { ... }
 * try (TrainingSession resumed = Checkpoint.resume(Path.of("mnist-cnn.ckpt"), Device.cpu())) { ... }
 * }</pre>
 *
 * <p>A save writes a temporary file beside the target and renames it into place, so a crash leaves
 * the old checkpoint or the new one, never half of one. Loading checks the whole description before
 * anything is allocated: every value in range, the class names against the outputs, the data set
 * against the input shape, the described tensors against the architecture the model arguments
 * build and against the bytes of the weights. Zip CRCs catch corrupt bytes. Every problem is a
 * {@link CheckpointException} that names the file, and for the description the field.
 */
public final class Checkpoint {

    /** The value of {@link CheckpointDescription#format()}. */
    public static final String FORMAT = "rosetta-dl-checkpoint";
    /**
     * The layout version this code writes. It reads this one and version 1, whose {@code optimizer.bin}
     * held Adam's moments divided by {@code 1 - beta1} and {@code 1 - beta2}; version 2 holds
     * {@code torch.optim.Adam}'s {@code exp_avg} and {@code exp_avg_sq} as they are.
     */
    public static final int FORMAT_VERSION = 2;

    private static final String DESCRIPTION_ENTRY = "checkpoint.json";
    private static final String PARAMETERS_ENTRY = "parameters.bin";
    private static final String OPTIMIZER_ENTRY = "optimizer.bin";
    private static final Gson GSON = new GsonBuilder()
            .registerTypeHierarchyAdapter(ModelSpec.class, new ModelSpecJson())
            .registerTypeAdapterFactory(new RecordFieldErrors(""))
            .serializeSpecialFloatingPointValues()
            .setPrettyPrinting()
            .create();

    private Checkpoint() {
    }

    /**
     * Saves a training session: its model, hyperparameters, history and optimiser state.
     *
     * @param file the checkpoint file; its folder must exist; an existing file is replaced
     * @param session the session to save
     * @param data the class names and normalisation of the training data
     * @throws IllegalArgumentException when the class names do not match the model's outputs
     * @throws CheckpointException naming the file when it cannot be written
     */
    public static void save(Path file, TrainingSession session, DataDescription data) {
        ModelSpec spec = session.spec();
        if (data.classNames().size() != spec.outputs()) {
            throw new IllegalArgumentException("The model has " + spec.outputs() + " outputs but the data description "
                    + data.classNames().size() + " class names.");
        }
        List<CheckpointDescription.Tensor> tensors = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : seedModel(session.model()).namedParameters().entrySet()) {
            NDArray array = p.getValue().getArray();
            tensors.add(new CheckpointDescription.Tensor(p.getKey(), array.getShape().getShape()));
            weights.add(array.toFloatArray());
        }
        OptimizerState state = session.optimizerState();
        List<EpochMetrics> history = session.history().epochs();
        CheckpointDescription description = new CheckpointDescription(FORMAT, FORMAT_VERSION, spec,
                spec.exampleShape().getShape(), session.config(), session.completedEpochs(),
                history.isEmpty() ? null : history.get(history.size() - 1), history, data, tensors,
                new CheckpointDescription.Optimizer(state.kind(), state.steps(), state.slots().size()));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(DESCRIPTION_ENTRY, GSON.toJson(description).getBytes(StandardCharsets.UTF_8));
        entries.put(PARAMETERS_ENTRY, CheckpointZip.littleEndian(weights));
        entries.put(OPTIMIZER_ENTRY, CheckpointZip.littleEndian(state.slots()));
        CheckpointZip.write(file, entries);
    }

    /**
     * Reads only the description, for example to show what a checkpoint holds.
     *
     * @param file the checkpoint
     * @return its description
     * @throws CheckpointException naming the file when it is missing, unreadable or not a checkpoint
     */
    public static CheckpointDescription readDescription(Path file) {
        return read(file).description;
    }

    /**
     * Rebuilds the model and loads its weights, checking every tensor against the architecture.
     *
     * @param file the checkpoint
     * @param device where to put the model
     * @return the model and description; the caller closes it
     * @throws CheckpointException naming the file when it is missing, corrupt, truncated or does not
     *     match its own architecture
     */
    public static LoadedCheckpoint load(Path file, Device device) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(device, "device");
        Contents contents = read(file);
        return new LoadedCheckpoint(loadModel(file, contents, device), contents.description);
    }

    /**
     * Continues training from a checkpoint: weights, optimiser state, history and hyperparameters.
     *
     * @param file the checkpoint
     * @param device where to train
     * @return a session whose next epoch is the one after the saved epoch
     * @throws CheckpointException naming the file when it cannot be loaded
     */
    public static TrainingSession resume(Path file, Device device) {
        return resume(file, device, 0);
    }

    /**
     * Continues training from a checkpoint until a new total epoch count.
     *
     * @param file the checkpoint
     * @param device where to train
     * @param epochs the epoch to stop after, or 0 to keep the saved count
     * @return a session whose next epoch is the one after the saved epoch
     * @throws CheckpointException naming the file when it cannot be loaded
     */
    public static TrainingSession resume(Path file, Device device, int epochs) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(device, "device");
        if (epochs < 0) {
            throw new IllegalArgumentException("The epoch count must be 0 (keep the saved one) or more, got "
                    + epochs + ".");
        }
        Contents contents = read(file);
        CheckpointDescription d = contents.description;
        TrainingConfig config = epochs > 0 ? d.training().withEpochs(epochs) : d.training();
        Model model = loadModel(file, contents, device);
        try {
            List<float[]> slots = optimizerSlots(file, contents, seedModel(model));
            OptimizerState state = d.formatVersion() == 1
                    ? OptimizerState.ofFormatVersion1(d.optimizer().kind(), d.optimizer().steps(), slots)
                    : new OptimizerState(d.optimizer().kind(), d.optimizer().steps(), slots);
            return TrainingSession.resume(model, config, new History(d.history()), state);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Values the optimiser updates: batch norm's running statistics are saved but not trained. */
    private static long size(List<Parameter> parameters) {
        return parameters.stream().mapToLong(p -> p.getArray().getShape().size()).sum();
    }

    /**
     * The optimiser buffers, over the trained parameters. A checkpoint saved while a SimpleRNN's or
     * LSTM's hidden-to-hidden bias was still trained has buffers over it too: those parts are cut
     * out, since its value now lives in the input bias (see {@link SeedModel#foldUntrainedRecurrentBiases()}).
     */
    private static List<float[]> optimizerSlots(Path file, Contents contents, SeedModel block) {
        if (contents.optimizer == null) {
            throw new CheckpointException(file, "is quantized, for evaluate and predict: it keeps no optimiser state."
                    + " Resume from the float32 checkpoint it was made from.");
        }
        List<Parameter> trained = block.trainedParameters();
        List<Parameter> former = block.formerlyTrainedParameters();
        int buffers = contents.description.optimizer().buffers();
        long formerSize = size(former);
        if (formerSize != size(trained) && contents.optimizer.length == formerSize * buffers * Float.BYTES) {
            List<float[]> slots = new ArrayList<>();
            for (float[] slot : readSlots(contents.optimizer, buffers, formerSize)) {
                float[] kept = new float[Math.toIntExact(size(trained))];
                int from = 0;
                int to = 0;
                for (Parameter p : former) {
                    int n = Math.toIntExact(p.getArray().getShape().size());
                    if (p.requiresGradient()) {
                        System.arraycopy(slot, from, kept, to, n);
                        to += n;
                    }
                    from += n;
                }
                slots.add(kept);
            }
            return slots;
        }
        long size = size(trained);
        if (contents.optimizer.length != size * buffers * Float.BYTES) {
            throw new CheckpointException(file, OPTIMIZER_ENTRY + " holds " + contents.optimizer.length
                    + " bytes, but " + buffers + " buffer(s) of " + size + " float32 values need "
                    + size * buffers * Float.BYTES + "; the file is truncated or corrupt.");
        }
        return readSlots(contents.optimizer, buffers, size);
    }

    private static List<float[]> readSlots(byte[] bytes, int buffers, long size) {
        FloatBuffer floats = floats(bytes);
        List<float[]> slots = new ArrayList<>();
        for (int i = 0; i < buffers; i++) {
            float[] slot = new float[Math.toIntExact(size)];
            floats.get(slot);
            slots.add(slot);
        }
        return slots;
    }

    private static Model loadModel(Path file, Contents contents, Device device) {
        DescriptionCheck.checkArchitecture(file, contents.description);
        Model model = contents.description.model().newModel(device);
        try {
            copyWeights(file, contents, seedModel(model));
            // saved before a SimpleRNN's or LSTM's hidden-to-hidden bias was held at zero: its sum counts
            seedModel(model).foldUntrainedRecurrentBiases();
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static void copyWeights(Path file, Contents contents, SeedModel block) {
        List<CheckpointDescription.Tensor> saved = contents.description.parameters();
        Map<String, Parameter> expected = block.namedParameters();
        String model = contents.description.model().modelName();
        if (saved == null || saved.size() != expected.size()) {
            throw new CheckpointException(file, "it lists " + (saved == null ? 0 : saved.size())
                    + " weight tensors, but " + model + " has " + expected.size() + " (" + expected.keySet() + ").");
        }
        long bytes = 0;
        for (CheckpointDescription.Tensor t : saved) {
            bytes += new Shape(t.shape()).size() * Float.BYTES;
        }
        if (contents.parameters.length != bytes) {
            throw new CheckpointException(file, PARAMETERS_ENTRY + " holds " + contents.parameters.length
                    + " bytes, but the described tensors need " + bytes + "; the file is truncated or corrupt.");
        }
        JniUtils.setGradMode(false);
        FloatBuffer floats = floats(contents.parameters);
        Iterator<Map.Entry<String, Parameter>> want = expected.entrySet().iterator();
        for (CheckpointDescription.Tensor t : saved) {
            Map.Entry<String, Parameter> p = want.next();
            NDArray array = p.getValue().getArray();
            Shape shape = new Shape(t.shape());
            if (!p.getKey().equals(t.name()) || !array.getShape().equals(shape)) {
                throw new CheckpointException(file, "weight tensor " + t.name() + " " + shape + " does not fit "
                        + model + ", which expects " + p.getKey() + " " + array.getShape()
                        + " at that place: the checkpoint and its description disagree.");
            }
            float[] values = new float[Math.toIntExact(shape.size())];
            floats.get(values);
            try (NDArray loaded = array.getManager().create(values, shape)) {
                array.subi(array).addi(loaded);
            }
        }
    }

    private static SeedModel seedModel(Model model) {
        return (SeedModel) model.getBlock();
    }

    /** The three entries of a checkpoint, read and checked; {@code optimizer} is null for a quantized one. */
    private record Contents(CheckpointDescription description, byte[] parameters, byte[] optimizer) {
    }

    private static Contents read(Path file) {
        Objects.requireNonNull(file, "file");
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file. Check the path, or train with --save-model to write one.");
        } catch (EOFException e) {
            throw new CheckpointException(file, "the file is truncated (" + e.getMessage() + ").", e);
        } catch (ZipException e) {
            String damage = String.valueOf(e.getMessage()).contains("EOF") ? "truncated" : "corrupt";
            throw new CheckpointException(file, "the file is " + damage + " (" + e.getMessage() + ").", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (!entries.containsKey(DESCRIPTION_ENTRY)) {
            throw new CheckpointException(file, entries.isEmpty()
                    ? "not a Rosetta DL checkpoint (not a zip archive, or an empty one)."
                    : "not a Rosetta DL checkpoint (no " + DESCRIPTION_ENTRY + " inside).");
        }
        CheckpointDescription description = parse(file, entries.get(DESCRIPTION_ENTRY));
        try {
            // a pruned checkpoint stores its weights as a bitmask and the nonzero values
            SparseParameters.expandInto(entries);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
        // the one hook for int8 weights (core.compression): expanded to float32 here, so that every check
        // below applies to them as to any other; such a file keeps no optimiser state (null)
        boolean quantized = entries.containsKey(QuantizedCheckpoint.QUANTIZATION_ENTRY);
        if (quantized) {
            DescriptionCheck.checkShapes(file, description.parameters());
            entries.put(PARAMETERS_ENTRY, QuantizedCheckpoint.float32Parameters(file, description, entries));
        }
        for (String name : quantized ? List.of(PARAMETERS_ENTRY) : List.of(PARAMETERS_ENTRY, OPTIMIZER_ENTRY)) {
            if (!entries.containsKey(name)) {
                throw new CheckpointException(file, "the file is truncated or incomplete: " + name + " is missing.");
            }
        }
        byte[] parameters = entries.get(PARAMETERS_ENTRY);
        byte[] optimizer = quantized ? null : entries.get(OPTIMIZER_ENTRY);
        DescriptionCheck.check(file, description, parameters.length, optimizer == null ? -1 : optimizer.length);
        return new Contents(description, parameters, optimizer);
    }

    private static CheckpointDescription parse(Path file, byte[] json) {
        CheckpointDescription d;
        try {
            d = GSON.fromJson(new String(json, StandardCharsets.UTF_8), CheckpointDescription.class);
        } catch (InvalidFieldException e) {
            throw new CheckpointException(file, DESCRIPTION_ENTRY + " field " + e.field() + " is invalid: "
                    + e.getMessage() + DescriptionCheck.FIX, e);
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
            throw new CheckpointException(file, DESCRIPTION_ENTRY + " cannot be read: " + e.getMessage(), e);
        }
        if (d == null || !FORMAT.equals(d.format())) {
            throw new CheckpointException(file, "not a Rosetta DL checkpoint (" + DESCRIPTION_ENTRY
                    + " has no format '" + FORMAT + "').");
        }
        if (d.formatVersion() < 1 || d.formatVersion() > FORMAT_VERSION) {
            throw new CheckpointException(file, "format version " + d.formatVersion() + ", but this Rosetta DL reads "
                    + "versions 1 to " + FORMAT_VERSION + ".");
        }
        if (d.model() == null || d.training() == null || d.optimizer() == null || d.history() == null
                || d.parameters() == null || d.data() == null) {
            throw new CheckpointException(file, DESCRIPTION_ENTRY + " lacks the model, training, optimizer, history,"
                    + " parameters or data.");
        }
        return d;
    }

    private static FloatBuffer floats(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
}
