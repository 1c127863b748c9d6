package io.github.rosettadl.core.training;

import java.util.Objects;

/**
 * The hyperparameters of a training run. Build one with {@link #adam(float)} or {@link #sgd(float)}
 * and the {@code with...} methods:
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(64).withSeed(42);
 * }</pre>
 *
 * @param optimizer Adam or SGD
 * @param learningRate the step size, above 0
 * @param epochs how many passes over the training data, at least 1
 * @param batchSize the batch size the data source uses; recorded for the history and checkpoints,
 *     since the loop itself takes whatever batches the source gives
 * @param seed the seed of the weight initialisation (and of the data order, by the data source)
 * @param adamEpsilon Adam's epsilon: 1e-8 in PyTorch, 1e-7 in Keras
 * @param momentum SGD's momentum, 0 for none
 * @param schedule how the learning rate changes per epoch; {@link LearningRateSchedule#CONSTANT} in
 *     every seed (null, as in checkpoints written before schedules existed, means constant)
 */
public record TrainingConfig(OptimizerKind optimizer, float learningRate, int epochs, int batchSize, long seed,
        float adamEpsilon, float momentum, LearningRateSchedule schedule) {

    /** PyTorch's Adam epsilon. */
    public static final float PYTORCH_ADAM_EPSILON = 1e-8f;
    /** Keras's Adam epsilon. */
    public static final float KERAS_ADAM_EPSILON = 1e-7f;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        schedule = schedule == null ? LearningRateSchedule.CONSTANT : schedule;
        requirePositive("learning rate", learningRate);
        if (epochs < 1) {
            throw new IllegalArgumentException("Epochs must be at least 1, got " + epochs + ".");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size must be at least 1, got " + batchSize + ".");
        }
        requirePositive("Adam epsilon", adamEpsilon);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Momentum must be in [0, 1), got " + momentum + ".");
        }
    }

    private static void requirePositive(String name, float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException("The " + name + " must be a positive number, got " + value + ".");
        }
    }

    /**
     * Adam with PyTorch's epsilon, 10 epochs, batch size 64, seed 42.
     *
     * @param learningRate the step size
     * @return the configuration
     */
    public static TrainingConfig adam(float learningRate) {
        return new TrainingConfig(OptimizerKind.ADAM, learningRate, 10, 64, 42, PYTORCH_ADAM_EPSILON, 0f,
                LearningRateSchedule.CONSTANT);
    }

    /**
     * Plain SGD, 10 epochs, batch size 64, seed 42.
     *
     * @param learningRate the step size
     * @return the configuration
     */
    public static TrainingConfig sgd(float learningRate) {
        return new TrainingConfig(OptimizerKind.SGD, learningRate, 10, 64, 42, PYTORCH_ADAM_EPSILON, 0f,
                LearningRateSchedule.CONSTANT);
    }

    /**
     * A copy with another epoch count.
     *
     * @param n the number of epochs
     * @return the new configuration
     */
    public TrainingConfig withEpochs(int n) {
        return new TrainingConfig(optimizer, learningRate, n, batchSize, seed, adamEpsilon, momentum, schedule);
    }

    /**
     * A copy with another batch size.
     *
     * @param n the batch size
     * @return the new configuration
     */
    public TrainingConfig withBatchSize(int n) {
        return new TrainingConfig(optimizer, learningRate, epochs, n, seed, adamEpsilon, momentum, schedule);
    }

    /**
     * A copy with another seed.
     *
     * @param s the seed
     * @return the new configuration
     */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(optimizer, learningRate, epochs, batchSize, s, adamEpsilon, momentum, schedule);
    }

    /**
     * A copy with another Adam epsilon.
     *
     * @param epsilon the epsilon
     * @return the new configuration
     */
    public TrainingConfig withAdamEpsilon(float epsilon) {
        return new TrainingConfig(optimizer, learningRate, epochs, batchSize, seed, epsilon, momentum, schedule);
    }

    /**
     * A copy with another optimiser; its settings (epsilon, momentum) are kept.
     *
     * @param kind the optimiser
     * @return the new configuration
     */
    public TrainingConfig withOptimizer(OptimizerKind kind) {
        return new TrainingConfig(kind, learningRate, epochs, batchSize, seed, adamEpsilon, momentum, schedule);
    }

    /**
     * A copy with another learning rate.
     *
     * @param rate the learning rate
     * @return the new configuration
     */
    public TrainingConfig withLearningRate(float rate) {
        return new TrainingConfig(optimizer, rate, epochs, batchSize, seed, adamEpsilon, momentum, schedule);
    }

    /**
     * A copy with another learning-rate schedule.
     *
     * @param s the schedule
     * @return the new configuration
     */
    public TrainingConfig withSchedule(LearningRateSchedule s) {
        return new TrainingConfig(optimizer, learningRate, epochs, batchSize, seed, adamEpsilon, momentum, s);
    }

    /**
     * The learning rate of one epoch under the schedule.
     *
     * @param epoch the epoch, from 1
     * @return the rate
     */
    public float learningRateAt(int epoch) {
        return schedule.rate(learningRate, epoch, epochs);
    }

    /**
     * A copy with another SGD momentum.
     *
     * @param m the momentum
     * @return the new configuration
     */
    public TrainingConfig withMomentum(float m) {
        return new TrainingConfig(optimizer, learningRate, epochs, batchSize, seed, adamEpsilon, m, schedule);
    }
}
