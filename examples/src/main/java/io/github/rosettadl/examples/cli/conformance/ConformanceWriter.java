package io.github.rosettadl.examples.cli.conformance;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.models.LinearRegression;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.EpochSource;
import io.github.rosettadl.core.training.StepProbe;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.synthetic.SyntheticLinearData;
import io.github.rosettadl.examples.LinearRegressionExample;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Runs one {@link ConformanceCase} through the project's own training code and writes what it
 * computed as NumPy's {@code .npz} (DJL's {@code NDList} encoding), for a PyTorch twin to recompute.
 *
 * <p>Arrays in a case's file: {@code x} and {@code y} (the batch), {@code param.NAME} (every
 * parameter before training, by {@link SeedModel#namedParameters()} name, batch norm's running
 * statistics included), {@code logits} and {@code loss} (a training-mode forward pass),
 * {@code grad.NAME} (the gradient of each trained parameter, {@link StepProbe}), and
 * {@code adam1.NAME}, {@code adam2.NAME}, {@code sgd1.NAME}, {@code sgd2.NAME} (every parameter
 * after one and two real {@link TrainingSession} steps on the same batch with Adam and with SGD
 * with momentum: momentum first shows in the second step), and {@code adam-grad2.NAME},
 * {@code sgd-grad2.NAME} (the gradients of the second steps, at the weights after the first).
 */
public final class ConformanceWriter {

    private static final int STEPS = 2;
    private static final Gson GSON = new Gson();

    private final Path dir;
    private final Device device;

    /**
     * A writer into a folder.
     *
     * @param dir the output folder, which must exist
     * @param device where the Java side computes
     */
    public ConformanceWriter(Path dir, Device device) {
        this.dir = dir;
        this.device = device;
    }

    /**
     * Runs a case and writes its {@code .npz} file.
     *
     * @param c the case
     * @param index the case's position, which seeds its batch
     * @return the case's manifest entry
     */
    public JsonObject write(ConformanceCase c, int index) {
        String file = c.id().replace('/', '-') + ".npz";
        JsonObject entry = new JsonObject();
        entry.addProperty("id", c.id());
        entry.addProperty("file", file);
        entry.addProperty("batch", c.batchSize());
        entry.addProperty("steps", STEPS);
        entry.addProperty("note", c.note());
        JsonObject sgd = new JsonObject();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDList arrays;
            if (c.linear() != null) {
                LinearRegressionExample.Settings s = c.linear();
                entry.addProperty("model", "linear-regression");
                sgd.addProperty("lr", s.learningRate());
                sgd.addProperty("momentum", 0f);
                arrays = linearRegression(s, index, manager, entry);
            } else {
                entry.addProperty("model", c.spec().modelName());
                entry.add("arguments", GSON.toJsonTree(c.spec()));
                JsonObject adam = new JsonObject();
                adam.addProperty("lr", c.adam().learningRateAt(1));
                adam.addProperty("eps", c.adam().adamEpsilon());
                entry.add("adam", adam);
                sgd.addProperty("lr", c.sgd().learningRate());
                sgd.addProperty("momentum", c.sgd().momentum());
                arrays = classifier(c, index, manager, entry);
            }
            entry.add("sgd", sgd);
            writeNpz(dir.resolve(file), arrays);
        }
        return entry;
    }

    private NDList classifier(ConformanceCase c, int index, NDManager manager, JsonObject entry) {
        ModelSpec spec = c.spec();
        NDArray[] batch = batch(spec, c.batchSize(), index, manager);
        NDList out = new NDList();
        out.add(named(batch[0], "x"));
        out.add(named(batch[1], "y"));
        List<Map<String, NDArray>> adam = train(spec, c.adam(), batch, manager);
        List<Map<String, NDArray>> sgd = train(spec, c.sgd(), batch, manager);
        add(out, "adam-grad2.", gradientsAt(spec, c.adam(), adam.get(1), batch, manager));
        add(out, "sgd-grad2.", gradientsAt(spec, c.sgd(), sgd.get(1), batch, manager));
        Map<String, NDArray> start = adam.get(0);
        requireSame(c.id(), start, sgd.get(0));
        JsonArray trained = new JsonArray();
        try (Model probe = fresh(spec, c.adam())) {
            Map<String, NDArray> probeStart = snapshot((SeedModel) probe.getBlock(), manager);
            requireSame(c.id(), start, probeStart);
            StepProbe.Result r = StepProbe.run(probe, batch[0], batch[1], manager);
            out.add(named(r.logits(), "logits"));
            out.add(named(manager.create(r.loss()), "loss"));
            r.gradients().forEach((name, g) -> {
                out.add(named(g, "grad." + name));
                trained.add(name);
            });
        }
        entry.add("trained", trained);
        JsonArray names = new JsonArray();
        start.keySet().forEach(names::add);
        entry.add("parameters", names);
        add(out, "param.", start);
        for (int step = 1; step <= STEPS; step++) {
            add(out, "adam" + step + ".", adam.get(step));
            add(out, "sgd" + step + ".", sgd.get(step));
        }
        return out;
    }

    /** The parameters before training and after each of {@link #STEPS} real session steps on the batch. */
    private List<Map<String, NDArray>> train(ModelSpec spec, TrainingConfig config, NDArray[] batch, NDManager out) {
        List<Map<String, NDArray>> states = new ArrayList<>();
        try (TrainingSession session = TrainingSession.start(spec, config, device)) {
            SeedModel block = (SeedModel) session.model().getBlock();
            states.add(snapshot(block, out));
            // the session asks for the next batch once the step before has updated the weights
            EpochSource sameBatch = (manager, epoch) -> () -> new Iterator<Batch>() {
                private int given;

                @Override
                public boolean hasNext() {
                    return given < STEPS;
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    if (given > 0) {
                        states.add(snapshot(block, out));
                    }
                    given++;
                    NDManager owned = manager.newSubManager();
                    NDArray x = batch[0].duplicate();
                    NDArray y = batch[1].duplicate();
                    x.attach(owned);
                    y.attach(owned);
                    return new Batch(owned, new NDList(x), new NDList(y), (int) y.size(), null, null, given, STEPS);
                }
            };
            session.trainEpoch(sameBatch, null);
            states.add(snapshot(block, out));
        }
        return states;
    }

    /**
     * The gradients the second step took: the same forward and backward pass at the weights after
     * the first step. With them the twin checks each optimiser step on exactly the gradient Java's
     * optimiser saw: Adam's step divides by {@code sqrt(v) + eps}, so near a zero gradient it would
     * magnify float32 noise in the gradient a hundred-thousandfold.
     */
    private Map<String, NDArray> gradientsAt(ModelSpec spec, TrainingConfig config, Map<String, NDArray> weights,
            NDArray[] batch, NDManager out) {
        try (Model probe = fresh(spec, config)) {
            JniUtils.setGradMode(false);
            for (Map.Entry<String, Parameter> p : ((SeedModel) probe.getBlock()).namedParameters().entrySet()) {
                NDArray array = p.getValue().getArray();
                array.subi(array).addi(weights.get(p.getKey()));
            }
            return StepProbe.run(probe, batch[0], batch[1], out).gradients();
        }
    }

    /** A model built as {@link TrainingSession#start} builds it, so with the same weights. */
    private Model fresh(ModelSpec spec, TrainingConfig config) {
        TorchRuntime.prepareFor(EngineThreads.defaultsFor(spec.modelName()));
        JniUtils.setSeed(config.seed());
        return spec.newModel(device);
    }

    private NDList linearRegression(LinearRegressionExample.Settings settings, int index, NDManager manager,
            JsonObject entry) {
        SyntheticLinearData.Points points = new SyntheticLinearData(42 + index, settings.batchSize()).generateTrainData();
        NDList out = new NDList();
        out.add(named(points.x(manager), "x"));
        out.add(named(points.y(manager), "y"));
        LinearRegression block = new LinearRegression();
        try (Model model = Model.newInstance("linear-regression", device)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(LinearRegressionExample.trainingConfig(settings, device))) {
                trainer.initialize(new Shape(settings.batchSize()));
                out.add(named(manager.create(block.weight()), "param.weights"));
                out.add(named(manager.create(block.bias()), "param.biases"));
                for (int step = 1; step <= STEPS; step++) {
                    float loss = LinearRegressionExample.trainStep(trainer, points);
                    if (step == 1) {
                        out.add(named(manager.create(loss), "loss"));
                    }
                    out.add(named(manager.create(block.weight()), "sgd" + step + ".weights"));
                    out.add(named(manager.create(block.bias()), "sgd" + step + ".biases"));
                }
            }
        }
        JsonArray names = new JsonArray();
        names.add("weights");
        names.add("biases");
        entry.add("parameters", names);
        entry.add("trained", names);
        return out;
    }

    /** Pixels uniform in [0, 1) or character indices, and labels, from a generator seeded per case. */
    private static NDArray[] batch(ModelSpec spec, int n, int index, NDManager manager) {
        Random random = new Random(1000L + index);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(spec.outputs());
        }
        Shape shape = new Shape(n).addAll(spec.exampleShape());
        int size = Math.toIntExact(shape.size());
        NDArray x;
        if (spec.inputType() == DataType.INT64) {
            long[] chars = new long[size];
            Arrays.setAll(chars, i -> random.nextInt(spec.outputs()));
            x = manager.create(chars, shape);
        } else {
            float[] pixels = new float[size];
            for (int i = 0; i < size; i++) {
                pixels[i] = random.nextFloat();
            }
            x = manager.create(pixels, shape);
        }
        return new NDArray[] {x, manager.create(labels)};
    }

    private static Map<String, NDArray> snapshot(SeedModel block, NDManager out) {
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : block.namedParameters().entrySet()) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(out);
            values.put(p.getKey(), copy);
        }
        return values;
    }

    private static void requireSame(String id, Map<String, NDArray> a, Map<String, NDArray> b) {
        for (Map.Entry<String, NDArray> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue().toFloatArray(), b.get(e.getKey()).toFloatArray())) {
                throw new IllegalStateException(id + ": " + e.getKey() + " starts differently in two models built from"
                        + " the same seed; the comparison would not be fair.");
            }
        }
    }

    private static void add(NDList out, String prefix, Map<String, NDArray> values) {
        values.forEach((name, array) -> out.add(named(array, prefix + name)));
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    private static void writeNpz(Path file, NDList arrays) {
        AtomicFile.write(file, temp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                arrays.encode(out, NDList.Encoding.NPZ);
            }
        });
    }

    /**
     * Writes the manifest, which {@code pytorch/conformance.py} reads first.
     *
     * @param entries one per case
     * @param environment what computed them
     */
    public void writeManifest(List<JsonObject> entries, String environment) {
        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", "rosetta-dl-conformance");
        manifest.addProperty("version", 1);
        manifest.addProperty("java", environment);
        JsonArray cases = new JsonArray();
        entries.forEach(cases::add);
        manifest.add("cases", cases);
        AtomicFile.write(dir.resolve("manifest.json"), temp -> Files.writeString(temp, GSON.toJson(manifest)));
    }
}
