package io.github.rosettadl.core.interop;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's weights as a NumPy {@code .npz} file whose names are the PyTorch twin's
 * {@code state_dict} keys ({@link StateDictNames}), so that plain PyTorch loads them without extra
 * packages, and the reverse:
 *
 * <pre>{@code
 * # Python, after NpzWeights.exportCheckpoint(Path.of("mnist-cnn.ckpt"), Path.of("simple-cnn.npz"), Device.cpu())
 * import numpy as np, torch, image_twins
 * model = image_twins.twin("simple-cnn", 1, 28, 28, 10)
 * model.load_state_dict({k: torch.from_numpy(v) for k, v in np.load("simple-cnn.npz").items()})
 * }</pre>
 *
 * <p>The file is written with DJL's own NPZ encoder ({@link NDList#encode(OutputStream,
 * NDList.Encoding)}): one float32 {@code .npy} entry per tensor, plus an int64 scalar
 * {@code num_batches_tracked} of 0 for each batch-norm layer, which PyTorch's {@code state_dict}
 * has and Java does not count (it only matters for {@code BatchNorm2d(momentum=None)}). Reading
 * ignores that counter and checks every other tensor's name, shape and type.
 */
public final class NpzWeights {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private NpzWeights() {
    }

    /**
     * Writes a model's weights to an {@code .npz} file, atomically.
     *
     * @param model a model built from an image {@link ModelSpec}
     * @param file the file to create or replace
     * @throws IllegalArgumentException when the model is not an image classifier (only those have twins)
     * @throws io.github.rosettadl.core.io.StorageException naming the file when the disk refuses it
     */
    public static void write(Model model, Path file) {
        Objects.requireNonNull(file, "file");
        SeedModel block = imageModel(model);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDList tensors = new NDList();
            for (Map.Entry<String, Parameter> p : block.namedParameters().entrySet()) {
                NDArray array = p.getValue().getArray();
                NDArray copy = manager.create(array.toFloatArray(), array.getShape());
                copy.setName(StateDictNames.of(p.getKey()));
                tensors.add(copy);
                if (p.getKey().endsWith("." + StateDictNames.RUNNING_VAR)) {
                    // after running_var, where nn.BatchNorm2d's state_dict() has it
                    NDArray counter = manager.create(0L);
                    counter.setName(layer(p.getKey()) + "." + StateDictNames.BATCHES_TRACKED);
                    tensors.add(counter);
                }
            }
            AtomicFile.write(file, temp -> {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                    tensors.encode(out, NDList.Encoding.NPZ);
                }
            });
        }
    }

    /**
     * Copies the weights of an {@code .npz} file into a model, after checking that the file holds
     * exactly the model's tensors: every {@code state_dict} name, with its shape, as float32.
     *
     * @param model the model to fill, built from the architecture the weights were trained with
     * @param file an {@code .npz} written by {@link #write} or by NumPy from the twin's {@code state_dict}
     * @throws WeightsFileException naming the file and, for each tensor that is missing, unexpected,
     *     misshapen or of another type, the tensor and what was expected
     * @throws IllegalArgumentException when the model is not an image classifier
     */
    public static void read(Model model, Path file) {
        Objects.requireNonNull(file, "file");
        SeedModel block = imageModel(model);
        byte[] bytes = readBytes(file);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> found = decode(file, bytes, manager);
            Map<String, Parameter> expected = block.namedParameters();
            List<String> problems = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            Map<Parameter, NDArray> matched = new LinkedHashMap<>();
            List<String> batchNormLayers = new ArrayList<>();
            for (Map.Entry<String, Parameter> p : expected.entrySet()) {
                String name = StateDictNames.of(p.getKey());
                if (p.getKey().endsWith("." + StateDictNames.RUNNING_MEAN)) {
                    batchNormLayers.add(layer(p.getKey()));
                }
                NDArray array = found.remove(name);
                Shape want = p.getValue().getArray().getShape();
                if (array == null) {
                    missing.add(name + " " + want);
                } else if (!array.getShape().equals(want)) {
                    problems.add("tensor " + name + " has shape " + array.getShape() + ", the model expects " + want);
                } else if (array.getDataType() != DataType.FLOAT32) {
                    problems.add("tensor " + name + " is " + array.getDataType() + ", the model expects float32"
                            + " (save tensor.float() in Python)");
                } else {
                    matched.put(p.getValue(), array);
                }
            }
            for (String layer : batchNormLayers) {
                found.remove(layer + "." + StateDictNames.BATCHES_TRACKED);
            }
            String modelName = block.spec().modelName();
            if (!missing.isEmpty()) {
                problems.add(0, "missing tensor(s) " + String.join(", ", missing));
            }
            if (!found.isEmpty()) {
                problems.add("unexpected tensor(s) " + describe(found) + ", which " + modelName + " does not have");
            }
            if (!problems.isEmpty()) {
                throw new WeightsFileException(file, "it does not fit " + modelName + " " + ((ImageModelSpec) block.spec())
                        .input() + ": " + String.join("; ", problems) + ". It needs exactly " + expectedNames(expected)
                        + "; check --model and --dataset, or save the twin of that model.");
            }
            JniUtils.setGradMode(false);
            for (Map.Entry<Parameter, NDArray> m : matched.entrySet()) {
                NDArray target = m.getKey().getArray();
                try (NDArray loaded = target.getManager().create(m.getValue().toFloatArray(), target.getShape())) {
                    target.subi(target).addi(loaded);
                }
            }
        }
    }

    /**
     * Writes the weights of a checkpoint to an {@code .npz} file.
     *
     * @param checkpoint a checkpoint of an image model
     * @param file the {@code .npz} file to create or replace
     * @param device where to load the checkpoint
     * @throws io.github.rosettadl.core.checkpoint.CheckpointException when the checkpoint cannot be loaded
     * @throws IllegalArgumentException when it holds no image classifier
     */
    public static void exportCheckpoint(Path checkpoint, Path file, Device device) {
        try (LoadedCheckpoint loaded = Checkpoint.load(checkpoint, device)) {
            write(loaded.model(), file);
        }
    }

    /**
     * Makes a checkpoint from weights trained elsewhere: the model of {@code spec} with the weights
     * of {@code file}, no epochs completed, a fresh optimiser state for {@code config}, and the data
     * description that {@code evaluate} and {@code predict} read.
     *
     * @param file the {@code .npz} weights
     * @param spec the architecture they were trained with
     * @param config the training settings to store (used only when the checkpoint is trained further)
     * @param data the data set, class names and normalisation the weights expect
     * @param checkpoint the checkpoint file to create or replace
     * @param device where to build the model
     * @throws WeightsFileException when the file does not hold exactly the model's tensors
     */
    public static void importCheckpoint(Path file, ImageModelSpec spec, TrainingConfig config, DataDescription data,
            Path checkpoint, Device device) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try (TrainingSession session = TrainingSession.start(spec, config, device)) {
            read(session.model(), file);
            Checkpoint.save(checkpoint, session, data);
        }
    }

    private static SeedModel imageModel(Model model) {
        Objects.requireNonNull(model, "model");
        if (!(model.getBlock() instanceof SeedModel block) || !(block.spec() instanceof ImageModelSpec)) {
            String name = model.getBlock() instanceof SeedModel block ? block.spec().modelName() : model.getName();
            throw new IllegalArgumentException(name + " is not an image classifier: only image models have PyTorch"
                    + " twins (pytorch/image_twins.py) to carry weights to and from.");
        }
        return block;
    }

    private static byte[] readBytes(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < ZIP_MAGIC.length || !Arrays.equals(bytes, 0, ZIP_MAGIC.length, ZIP_MAGIC, 0, ZIP_MAGIC.length)) {
                throw new WeightsFileException(file, "not an .npz file (a zip archive of .npy arrays, as numpy.savez"
                        + " writes): it does not start as a zip archive does.");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new WeightsFileException(file, "no such file. Check the path, or write one with 'rosetta export'"
                    + " or image_twins.save_npz.");
        } catch (IOException e) {
            throw new WeightsFileException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static Map<String, NDArray> decode(Path file, byte[] bytes, NDManager manager) {
        NDList list;
        try {
            list = NDList.decode(manager, bytes);
        } catch (RuntimeException e) {
            throw new WeightsFileException(file, "the file is damaged or truncated: its arrays cannot be read ("
                    + e.getMessage() + "). Write it again.");
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray array : list) {
            if (byName.put(String.valueOf(array.getName()), array) != null) {
                throw new WeightsFileException(file, "it holds tensor " + array.getName() + " twice.");
            }
        }
        return byName;
    }

    private static String layer(String name) {
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static String describe(Map<String, NDArray> tensors) {
        List<String> names = new ArrayList<>();
        tensors.forEach((name, array) -> names.add(name + " " + array.getShape()));
        return String.join(", ", names);
    }

    private static String expectedNames(Map<String, Parameter> expected) {
        List<String> names = new ArrayList<>();
        expected.forEach((name, p) -> names.add(StateDictNames.of(name) + " " + p.getArray().getShape()));
        return String.join(", ", names);
    }
}
