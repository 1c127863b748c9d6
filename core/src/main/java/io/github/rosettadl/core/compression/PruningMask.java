package io.github.rosettadl.core.compression;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;

import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.training.OptimizerState;
import io.github.rosettadl.core.training.ParameterConstraint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which weights a pruned model keeps: 1 for a kept value, 0 for a removed one, over the flat vector
 * of every trained parameter ({@link SeedModel#trainedParameters()} order). As a
 * {@link ParameterConstraint} of a training session it zeroes the removed weights' gradients before
 * each update, so that Adam's moments for them stay zero, and the weights themselves after it, so
 * that they are exactly zero after every step, as {@code torch.nn.utils.prune}'s
 * {@code weight = weight_orig * weight_mask} keeps them.
 *
 * <p>Only the weights of dense and convolutional layers (tensors of two or more dimensions) are
 * pruned; biases and batch norm's scale and shift keep every value (1 in the mask), and batch
 * norm's running statistics are not trained, so they are not in the vector at all.
 */
public final class PruningMask implements ParameterConstraint {

    /**
     * One prunable weight tensor.
     *
     * @param name its {@code state_dict}-style name, for example {@code fc1.weight}
     * @param offset where it starts in the flat vector
     * @param size how many values it has
     * @param removed how many of them the mask removes
     */
    public record Layer(String name, long offset, int size, int removed) {

        /**
         * The removed fraction of this layer.
         *
         * @return between 0 and 1
         */
        public double sparsity() {
            return size == 0 ? 0 : (double) removed / size;
        }
    }

    private final float[] keep;
    private final List<Layer> layers;
    private NDArray onDevice;
    private NDManager deviceManager;

    PruningMask(float[] keep, List<Layer> layers) {
        this.keep = keep;
        this.layers = List.copyOf(layers);
    }

    /**
     * A mask that keeps every value of a model, the start of an iterative schedule.
     *
     * @param block the model
     * @return the mask, sparsity 0
     */
    public static PruningMask keepAll(SeedModel block) {
        List<Layer> layers = new ArrayList<>();
        long offset = 0;
        for (var p : trained(block)) {
            int size = Math.toIntExact(p.param().getArray().size());
            if (prunable(p.param())) {
                layers.add(new Layer(p.name(), offset, size, 0));
            }
            offset += size;
        }
        float[] keep = new float[Math.toIntExact(offset)];
        Arrays.fill(keep, 1f);
        return new PruningMask(keep, layers);
    }

    /** A trained parameter with its name. */
    record Named(String name, Parameter param) {
    }

    static List<Named> trained(SeedModel block) {
        List<Named> named = new ArrayList<>();
        block.namedParameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                named.add(new Named(name, p));
            }
        });
        return named;
    }

    /** Dense and convolutional weights have two or more dimensions; biases and batch norm's have one. */
    static boolean prunable(Parameter p) {
        return p.getArray().getShape().dimension() >= 2;
    }

    /**
     * The prunable tensors and how much of each is removed.
     *
     * @return the layers, in parameter order
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The removed fraction of all prunable weights.
     *
     * @return between 0 and 1
     */
    public double sparsity() {
        long size = layers.stream().mapToLong(Layer::size).sum();
        return size == 0 ? 0 : (double) removed() / size;
    }

    /**
     * The prunable weights removed.
     *
     * @return the count
     */
    public long removed() {
        return layers.stream().mapToLong(Layer::removed).sum();
    }

    /**
     * Whether the mask keeps one value of the flat vector.
     *
     * @param index the value's place in {@link SeedModel#trainedParameters()} order
     * @return true when it is kept
     */
    public boolean keeps(int index) {
        return keep[index] != 0f;
    }

    /**
     * The length of the flat vector.
     *
     * @return the number of trained values
     */
    public int size() {
        return keep.length;
    }

    /**
     * Sets the removed weights of a model to zero, outside a training session.
     *
     * @param block the model the mask was made for
     */
    public void applyTo(SeedModel block) {
        JniUtils.setGradMode(false);
        long offset = 0;
        for (Named p : trained(block)) {
            NDArray array = p.param().getArray();
            int size = Math.toIntExact(array.size());
            if (prunable(p.param())) {
                float[] part = Arrays.copyOfRange(keep, Math.toIntExact(offset), Math.toIntExact(offset) + size);
                try (NDArray m = array.getManager().create(part, array.getShape())) {
                    array.muli(m);
                }
            }
            offset += size;
        }
        if (offset != keep.length) {
            throw new IllegalArgumentException("The mask covers " + keep.length + " values, but the model has "
                    + offset + " trained values: it was made for another model.");
        }
    }

    /**
     * The optimiser state with the removed weights' buffers set to zero, so that fine-tuning does
     * not move them with momentum gathered before they were removed.
     *
     * @param state the state over the same flat vector
     * @return the masked copy
     */
    public OptimizerState applyTo(OptimizerState state) {
        List<float[]> slots = new ArrayList<>();
        for (float[] slot : state.slots()) {
            if (slot.length != keep.length) {
                throw new IllegalArgumentException("An optimizer buffer holds " + slot.length + " values, but the mask "
                        + keep.length + ".");
            }
            float[] masked = slot.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] *= keep[i];
            }
            slots.add(masked);
        }
        return new OptimizerState(state.kind(), state.steps(), slots);
    }

    @Override
    public void constrainGradients(NDArray gradients) {
        gradients.muli(on(gradients, false));
    }

    @Override
    public void constrainParameters(NDArray parameters) {
        parameters.muli(on(parameters, true));
    }

    /**
     * The mask as an array on the buffer's device, made once under the parameters' manager (which
     * lives as long as the session) rather than under a step's manager (closed after the step).
     */
    private NDArray on(NDArray like, boolean owner) {
        Objects.requireNonNull(like, "like");
        if (like.size() != keep.length) {
            throw new IllegalArgumentException("The mask covers " + keep.length + " values, but the parameters are "
                    + like.size() + ": it was made for another model.");
        }
        boolean stale = onDevice == null || onDevice.isReleased() || !onDevice.getDevice().equals(like.getDevice())
                || owner && deviceManager != like.getManager();
        if (stale) {
            deviceManager = like.getManager();
            onDevice = deviceManager.create(keep);
        }
        return onDevice;
    }
}
