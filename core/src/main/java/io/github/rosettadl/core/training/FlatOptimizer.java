package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * An optimiser over {@link FlatParameters}: in-place libtorch ops on the flat buffer, with scalar
 * constants made once, and a state that can be saved and restored.
 */
abstract class FlatOptimizer {

    protected final FlatParameters parameters;
    protected final NDManager manager;
    protected float learningRate;
    protected final List<NDArray> slots = new ArrayList<>();
    protected long steps;

    FlatOptimizer(FlatParameters parameters, float learningRate) {
        this.parameters = parameters;
        this.manager = parameters.manager();
        this.learningRate = learningRate;
    }

    /**
     * The optimiser for a configuration.
     *
     * @param parameters the parameters to update
     * @param config the optimiser, learning rate and its settings
     * @return a new optimiser with zero state
     */
    static FlatOptimizer create(FlatParameters parameters, TrainingConfig config) {
        switch (config.optimizer()) {
            case ADAM:
                return new FlatAdam(parameters, config.learningRate(), config.adamEpsilon());
            case SGD:
                return new FlatSgd(parameters, config.learningRate(), config.momentum());
            default:
                throw new AssertionError(config.optimizer());
        }
    }

    /** Adds a zero buffer the size of the parameters. */
    protected final NDArray newSlot() {
        NDArray slot = parameters.values().zerosLike();
        slot.attach(manager);
        slots.add(slot);
        return slot;
    }

    /** Makes a scalar constant on the parameters' device. */
    protected final NDArray constant(double value) {
        return manager.create((float) value);
    }

    /**
     * Sets the learning rate of the following updates, for a schedule.
     *
     * @param rate the new rate
     */
    void setLearningRate(float rate) {
        if (rate != learningRate) {
            learningRate = rate;
            learningRateChanged();
        }
    }

    /** Lets an optimiser that keeps the rate as a pre-made constant remake it. */
    protected void learningRateChanged() {
    }

    /**
     * One update.
     *
     * @param gradients the flat gradient of the last backward pass; the update may overwrite it
     */
    final void step(NDArray gradients) {
        steps++;
        update(gradients);
    }

    /**
     * Applies one update.
     *
     * @param gradients the flat gradients; the update may overwrite them
     */
    protected abstract void update(NDArray gradients);

    /**
     * Which optimiser this is.
     *
     * @return the kind
     */
    abstract OptimizerKind kind();

    /**
     * A copy of the state.
     *
     * @return the steps and slots, copied off the device
     */
    final OptimizerState state() {
        List<float[]> copies = new ArrayList<>();
        for (NDArray slot : slots) {
            copies.add(slot.toFloatArray());
        }
        return new OptimizerState(kind(), steps, copies);
    }

    /**
     * Overwrites the state with a saved one.
     *
     * @param state the saved state
     * @throws IllegalArgumentException when it belongs to another optimiser or other parameters
     */
    final void restore(OptimizerState state) {
        if (state.kind() != kind() || state.slots().size() != slots.size()) {
            throw new IllegalArgumentException("The saved optimizer state is for " + state.kind() + " with "
                    + state.slots().size() + " buffer(s), but this run uses " + kind() + " with " + slots.size() + ".");
        }
        long size = parameters.values().size();
        for (int i = 0; i < slots.size(); i++) {
            float[] saved = state.slots().get(i);
            if (saved.length != size) {
                throw new IllegalArgumentException("The saved optimizer buffer " + i + " holds " + saved.length
                        + " values, but the model has " + size + " parameters.");
            }
            NDArray slot = slots.get(i);
            try (NDArray values = manager.create(saved)) {
                slot.subi(slot).addi(values);
            }
        }
        steps = state.steps();
    }
}
