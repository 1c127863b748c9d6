package io.github.rosettadl.core.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.util.RandomUtils;

import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.precision.LossScaler;
import io.github.rosettadl.core.precision.Precision;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one training loop for every classifier: a model, its optimiser state and its history.
 *
 * <pre>{@code
 * try (TrainingSession session = TrainingSession.start(new SimpleCNN.Spec(shape, 10),
 *         TrainingConfig.adam(1e-3f), runtime.device())) {
 *     session.setProgress(ConsoleProgressBar.onStandardError());
 *     History history = session.fit(train, validation);
 * }
 * }</pre>
 *
 * <p>A step is: bind the parameters ({@link FlatParameters}), forward, log-softmax, gather and
 * mean, one read of the loss (to stop on NaN with the epoch and step), backward from the constant
 * -1 (which folds in the loss's sign) inside a {@link GradientCollector}, four ops that add the
 * batch's correct predictions to a device counter, and one optimiser update over the flat buffer.
 * There are no per-batch listeners or metric objects; accuracy is read once per epoch and progress
 * is reported by time, not per batch. Every array a step makes lives under its batch's manager, and
 * every batch is closed, so native memory stays flat across epochs.
 *
 * <p>Three options change how a step runs, not what it computes: {@link #setAccumulation} (several
 * batches per update), {@link #setDevices} (each batch split over several devices) and
 * {@link #setPrecision} (float16 passes with float32 weights and loss scaling).
 *
 * <p>Why its own step rather than DJL's {@code Trainer.step()}: it is faster, and it can save the
 * optimiser's state, which DJL's optimisers cannot, so a resumed run equals an uninterrupted one.
 * Measured with the core module's test class {@code StepTimeProbe} in its {@code ab} mode, which
 * runs both loops in one process and alternates an epoch of each, so that both see the same
 * conditions: batches of 64 MNIST-shaped images, Adam 1e-3, 1 intra-op thread; the other loop is the
 * same except for {@code Trainer.forward}, DJL's loss and {@code Trainer.step()} with DJL's Adam.
 * The median ratio of this loop's step time to the other's is 0.83 for the MLP and 0.94 to 0.96 for
 * the SimpleCNN; with 2 threads and {@code OMP_WAIT_POLICY=PASSIVE}, 0.88 (MLP) and 0.90 (SimpleCNN).
 * {@code Trainer.step()} copies each gradient, clones it again in the native update, adds a zero
 * weight-decay term, and runs thirteen passes per parameter tensor; this loop's Adam runs ten over
 * one flat buffer, and the flat binding spares the zeroing and accumulation of gradients.
 */
public final class TrainingSession implements AutoCloseable {

    private static final long UPDATE_INTERVAL_NANOS =
            TimeUnit.MILLISECONDS.toNanos(TrainingProgress.UPDATE_INTERVAL_MILLIS);

    private final Model model;
    private final SeedModel block;
    private final TrainingConfig config;
    private final Device device;
    private final FlatParameters parameters;
    private final FlatOptimizer optimizer;
    private final ParameterStore parameterStore;
    private final Engine engine;
    private final PtNDArray minusOne;
    private final History history;
    private TrainingProgress progress = TrainingProgress.SILENT;
    private ParameterConstraint constraint = ParameterConstraint.NONE;
    private GradientRule gradientRule;
    private long stepsPerEpoch = -1;
    private GradientAccumulation accumulation;
    private List<Device> devices;
    private Precision precision = Precision.FP32;
    private DataParallel dataParallel;
    private LossScaler lossScaler;

    private TrainingSession(Model model, TrainingConfig config, History history, OptimizerState state) {
        if (!(model.getBlock() instanceof SeedModel seedModel)) {
            throw new IllegalArgumentException("A training session needs one of the seed models (a SeedModel block),"
                    + " got " + model.getBlock().getClass().getName() + ".");
        }
        this.model = model;
        this.block = seedModel;
        this.config = config;
        this.history = history;
        device = model.getNDManager().getDevice();
        // libtorch's grad mode is per thread and on by default outside the engine's first thread
        JniUtils.setGradMode(false);
        List<NDArray> arrays = block.trainedParameters().stream().map(Parameter::getArray)
                .collect(Collectors.toList());
        parameters = new FlatParameters(arrays, model.getNDManager());
        optimizer = FlatOptimizer.create(parameters, config);
        if (state != null) {
            optimizer.restore(state);
        }
        parameterStore = new ParameterStore(model.getNDManager(), false);
        engine = model.getNDManager().getEngine();
        minusOne = (PtNDArray) parameters.manager().create(-1f);
        accumulation = new GradientAccumulation(1, parameters.manager());
        devices = List.of(device);
    }

    /**
     * Seeds the engine, builds and initialises the model, and prepares a fresh optimiser.
     *
     * @param spec the architecture
     * @param config the hyperparameters
     * @param device where to train
     * @return the session; close it to free the model
     */
    public static TrainingSession start(ModelSpec spec, TrainingConfig config, Device device) {
        // started (allocator tuned, the model's thread default unless chosen), so the seed reaches libtorch
        TorchRuntime.prepareFor(EngineThreads.defaultsFor(spec.modelName()));
        JniUtils.setSeed(config.seed());
        RandomUtils.RANDOM.setSeed(config.seed()); // DJL's samplers shuffle with this one
        return adopt(spec.newModel(device), config, new History(), null);
    }

    /**
     * Continues a run from saved weights, history and optimiser state; used by checkpoint loading.
     *
     * @param model a model whose block is a {@link SeedModel} with the saved weights; the session
     *     takes it over and closes it
     * @param config the saved hyperparameters (the epoch count may be raised to train longer)
     * @param history the epochs already done
     * @param state the optimiser state after the last of them
     * @return the session, next training epoch {@code history.epochs().size() + 1}
     */
    public static TrainingSession resume(Model model, TrainingConfig config, History history, OptimizerState state) {
        return adopt(model, config, history, Objects.requireNonNull(state, "state"));
    }

    private static TrainingSession adopt(Model model, TrainingConfig config, History history, OptimizerState state) {
        try {
            return new TrainingSession(model, config, history, state);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Where progress goes; {@link TrainingProgress#SILENT} by default.
     *
     * @param progress the progress display
     */
    public void setProgress(TrainingProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Sums the gradients of this many batches before each update ({@code --accumulate}), so that an
     * update equals one of a batch this many times larger ({@link GradientAccumulation}).
     *
     * @param batches batches per update, 1 (the default) for an update after every batch
     */
    public void setAccumulation(int batches) {
        accumulation = new GradientAccumulation(batches, parameters.manager());
    }

    /**
     * Trains data-parallel over these devices: each batch is split across them and their gradients
     * summed for one update ({@link DataParallel}). One device, the default, trains as before.
     *
     * @param trainingDevices the devices, starting with this session's model's device; a device may
     *     appear more than once (each entry holds its own copy of the model)
     * @throws IllegalArgumentException when the list is empty or does not start with the model's device
     */
    public void setDevices(List<Device> trainingDevices) {
        if (trainingDevices.isEmpty() || !trainingDevices.get(0).equals(device)) {
            throw new IllegalArgumentException("The training devices must start with the model's device " + device
                    + ", got " + trainingDevices + ".");
        }
        devices = List.copyOf(trainingDevices);
        rebuildPasses();
    }

    /**
     * Sets the number type of the forward and backward passes; {@link Precision#FP16} also scales the
     * loss dynamically ({@link LossScaler}, {@code GradScaler}'s defaults). The weights and the
     * optimiser stay in float32.
     *
     * @param p the precision, {@link Precision#FP32} by default
     */
    public void setPrecision(Precision p) {
        setPrecision(p, p == Precision.FP16 ? new LossScaler() : null);
    }

    /**
     * Sets the number type of the passes with a loss scaler of other settings.
     *
     * @param p the precision
     * @param scaler the loss scaler for {@link Precision#FP16}, null for none (float32 needs none)
     */
    public void setPrecision(Precision p, LossScaler scaler) {
        precision = Objects.requireNonNull(p, "precision");
        lossScaler = scaler;
        rebuildPasses();
    }

    private void rebuildPasses() {
        if (dataParallel != null) {
            dataParallel.close();
            dataParallel = null;
        }
        if (devices.size() > 1 || precision != Precision.FP32) {
            dataParallel = new DataParallel(block, parameters, parameterStore, devices, precision);
        }
    }

    /**
     * The loss scaler of a {@link Precision#FP16} session, for its scale and skipped steps.
     *
     * @return the scaler, or null in float32
     */
    public LossScaler lossScaler() {
        return lossScaler;
    }

    /**
     * A rule the parameters keep through every step from now on, for example a pruning mask; it
     * is applied to the parameters at once.
     *
     * @param constraint the rule, or {@link ParameterConstraint#NONE}
     */
    public void setParameterConstraint(ParameterConstraint constraint) {
        this.constraint = Objects.requireNonNull(constraint, "constraint");
        JniUtils.setGradMode(false);
        constraint.constrainParameters(parameters.values());
    }

    /**
     * Computes each step's gradient with a rule instead of backpropagating the mean loss, for
     * example DP-SGD's ({@code io.github.rosettadl.core.privacy.DpSgd}).
     *
     * @param rule the rule, or {@code null} for plain backpropagation
     */
    public void setGradientRule(GradientRule rule) {
        this.gradientRule = rule;
    }

    /**
     * Trains until the configured epoch count, validating after each epoch.
     *
     * @param train the training data
     * @param validation the validation data, or {@code null} for none
     * @return the history, all epochs including those before a resume
     */
    public History fit(EpochSource train, EpochSource validation) {
        return fit(train, validation, m -> {
        });
    }

    /**
     * Trains until the configured epoch count, calling back after each epoch, for example to save a
     * checkpoint.
     *
     * @param train the training data
     * @param validation the validation data, or {@code null} for none
     * @param afterEpoch called with each epoch's metrics
     * @return the history
     */
    public History fit(EpochSource train, EpochSource validation, Consumer<EpochMetrics> afterEpoch) {
        while (completedEpochs() < config.epochs()) {
            afterEpoch.accept(trainEpoch(train, validation));
        }
        return history;
    }

    /**
     * Trains one epoch, then validates.
     *
     * @param train the training data
     * @param validation the validation data, or {@code null} for none
     * @return the epoch's metrics, also appended to the history
     * @throws NonFiniteLossException when the loss becomes NaN or infinite, before that step updates
     *     the weights
     */
    public EpochMetrics trainEpoch(EpochSource train, EpochSource validation) {
        int epoch = completedEpochs() + 1;
        optimizer.setLearningRate(config.learningRateAt(epoch));
        JniUtils.setGradMode(false);
        progress.epochStarted(epoch, config.epochs(), stepsPerEpoch);
        long start = System.nanoTime();
        EpochTotals totals;
        try (NDManager epochManager = model.getNDManager().newSubManager()) {
            totals = trainBatches(train, epochManager, epoch, start);
        }
        long trainNanos = System.nanoTime() - start;
        Evaluation validated = validation == null ? null
                : Evaluator.run(block, validation, model.getNDManager(), epoch, false);
        double seconds = (System.nanoTime() - start) / 1e9;
        EpochMetrics metrics = new EpochMetrics(epoch, totals.lossSum / totals.examples,
                (double) totals.correct / totals.examples,
                validated == null ? Double.NaN : validated.loss(),
                validated == null ? Double.NaN : validated.accuracy(),
                seconds, totals.examples / (trainNanos / 1e9));
        history.add(metrics);
        stepsPerEpoch = totals.steps;
        progress.epochEnded(metrics);
        return metrics;
    }

    private EpochTotals trainBatches(EpochSource source, NDManager epochManager, int epoch, long start) {
        NDArray correct = epochManager.zeros(new Shape(), DataType.INT64);
        double lossSum = 0;
        long examples = 0;
        long steps = 0;
        long nextUpdate = start + UPDATE_INTERVAL_NANOS;
        for (Batch batch : source.batches(epochManager, epoch)) {
            try (Batch owned = batch) {
                StepBatch b = StepBatch.of(owned, epochManager, device);
                steps++;
                lossSum += (double) step(b, correct, epoch, steps) * b.size();
                examples += b.size();
            }
            long now = System.nanoTime();
            if (now >= nextUpdate) {
                progress.stepsDone(steps, examples, lossSum / examples, now - start);
                nextUpdate = now + UPDATE_INTERVAL_NANOS;
            }
        }
        if (steps == 0) {
            throw new IllegalStateException("The training data source gave no batches for epoch " + epoch + ".");
        }
        NDArray rest = accumulation.flush();
        if (rest != null) {
            apply(rest);
        }
        progress.stepsDone(steps, examples, lossSum / examples, System.nanoTime() - start);
        return new EpochTotals(steps, examples, lossSum, correct.getLong());
    }

    /** Forward, loss, backward, update; returns the batch's mean loss. */
    private float step(StepBatch b, NDArray correct, int epoch, long stepNumber) {
        if (gradientRule != null) {
            return ruleStep(b, correct, epoch, stepNumber);
        }
        if (dataParallel != null) {
            ReplicaPass.Result r = dataParallel.run(b, lossScaler == null ? 1f : lossScaler.scale());
            if (!Float.isFinite(r.loss())) {
                throw new NonFiniteLossException(epoch, stepNumber, r.loss(), config.learningRate());
            }
            correct.addi(r.correct());
            update(r.gradient(), b.size());
            return r.loss();
        }
        NDArray logits;
        NDArray leaf;
        float loss;
        try (GradientCollector collector = engine.newGradientCollector()) {
            leaf = parameters.bind(b.manager());
            logits = block.forward(parameterStore, new NDList(b.x()), true).head();
            NDArray logLikelihood = SoftmaxCrossEntropy.meanLabelLogProbability(logits, b.y());
            loss = -logLikelihood.toByteBuffer(false).getFloat();
            if (!Float.isFinite(loss)) {
                throw new NonFiniteLossException(epoch, stepNumber, loss, config.learningRate());
            }
            JniUtils.backward((PtNDArray) logLikelihood, minusOne, false, false);
        }
        correct.addi(logits.argMax(1).eq(b.y()).sum());
        update(leaf.getGradient(), b.size());
        return loss;
    }

    /** Adds a batch's mean gradient to the accumulation (which owns it) and updates when a group is full. */
    private void update(NDArray gradient, long examples) {
        NDArray ready = accumulation.add(gradient, examples);
        if (ready != null) {
            apply(ready);
        }
    }

    /** One update from a group's mean gradient: unscaled and skipped on overflow in float16. */
    private void apply(NDArray gradient) {
        try (gradient) {
            boolean finite = lossScaler == null || lossScaler.unscale(gradient);
            if (finite) {
                constraint.constrainGradients(gradient);
                optimizer.step(gradient);
                constraint.constrainParameters(parameters.values());
            }
            if (lossScaler != null) {
                lossScaler.update(!finite);
            }
        }
        if (dataParallel != null) {
            dataParallel.broadcast();
        }
    }

    /** A step whose gradient comes from the gradient rule; the weights change only by the optimiser. */
    private float ruleStep(StepBatch b, NDArray correct, int epoch, long stepNumber) {
        GradientRule.Step result = gradientRule.compute(block, parameterStore, b.x(), b.y(), block.trainedParameters());
        if (!Float.isFinite(result.meanLoss())) {
            throw new NonFiniteLossException(epoch, stepNumber, result.meanLoss(), config.learningRate());
        }
        if (b.size() > 0) {
            correct.addi(result.logits().argMax(1).eq(b.y()).sum());
        }
        optimizer.step(result.flatGradient());
        return result.meanLoss();
    }

    /**
     * Evaluates the current model, keeping every prediction.
     *
     * @param source the data
     * @return loss, accuracy, labels and predictions
     */
    public Evaluation evaluate(EpochSource source) {
        return Evaluator.evaluate(model, source);
    }

    /**
     * Epochs trained so far, including those before a resume.
     *
     * @return the number of the last finished epoch, 0 before the first
     */
    public int completedEpochs() {
        return history.epochs().size();
    }

    /**
     * The per-epoch metrics so far.
     *
     * @return the history (live: it grows as training goes on)
     */
    public History history() {
        return history;
    }

    /**
     * The hyperparameters.
     *
     * @return the configuration
     */
    public TrainingConfig config() {
        return config;
    }

    /**
     * The architecture.
     *
     * @return the model's spec
     */
    public ModelSpec spec() {
        return block.spec();
    }

    /**
     * The DJL model being trained, for prediction or saving; owned by this session.
     *
     * @return the model
     */
    public Model model() {
        return model;
    }

    /**
     * A copy of the optimiser's state, for a checkpoint.
     *
     * @return the state
     */
    public OptimizerState optimizerState() {
        return optimizer.state();
    }

    @Override
    public void close() {
        if (dataParallel != null) {
            dataParallel.close();
        }
        parameters.close();
        model.close();
    }

    private record EpochTotals(long steps, long examples, double lossSum, long correct) {
    }
}
