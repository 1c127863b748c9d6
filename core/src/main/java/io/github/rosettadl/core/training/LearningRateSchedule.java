package io.github.rosettadl.core.training;

/**
 * How the learning rate changes from epoch to epoch. It depends only on the epoch number and the
 * run's epoch count, so a resumed run follows the same schedule as an uninterrupted one, unless the
 * resume changes the epoch count: then the remaining epochs follow the new count's curve.
 */
public enum LearningRateSchedule {

    /** The same rate every epoch, as every seed trains. */
    CONSTANT,

    /**
     * Cosine annealing to zero over the run, stepped once per epoch, as PyTorch's
     * {@code CosineAnnealingLR(optimizer, T_max=epochs)} with {@code scheduler.step()} after each epoch:
     * {@code lr_e = lr * (1 + cos(pi * (e - 1) / epochs)) / 2} for epoch {@code e} from 1.
     */
    COSINE;

    /**
     * The rate for one epoch.
     *
     * @param base the configured learning rate
     * @param epoch the epoch, from 1
     * @param epochs the run's epoch count
     * @return the rate to train that epoch with
     */
    public float rate(float base, int epoch, int epochs) {
        if (this == CONSTANT) {
            return base;
        }
        return (float) (base * (1 + Math.cos(Math.PI * (epoch - 1) / epochs)) / 2);
    }
}
