package io.github.rosettadl.core.compression;

import io.github.rosettadl.core.models.SeedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unstructured magnitude pruning (Han et al. 2015, "Learning both Weights and Connections for
 * Efficient Neural Networks"): the weights of smallest absolute value are removed until a target
 * fraction of the prunable weights is gone. The same as PyTorch's
 *
 * <pre>{@code
 * prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=0.9)   # scope global
 * prune.l1_unstructured(layer, name="weight", amount=0.9)                             # scope layer, per layer
 * }</pre>
 *
 * <p>Like PyTorch's {@code amount}, the count removed is {@code round(sparsity * size)}, and weights
 * of equal magnitude at the threshold go in parameter order. Weights an earlier mask removed stay
 * removed (they rank below every kept weight), so repeated calls make the iterative schedule of
 * prune, fine-tune, prune again. Which tensors are pruned: see {@link PruningMask}.
 */
public final class MagnitudePruning {

    private MagnitudePruning() {
    }

    /**
     * Finds the weights to remove and sets them to zero in the model.
     *
     * @param block the model
     * @param sparsity the fraction of prunable weights to remove, at least 0 and below 1
     * @param scope one threshold for all layers, or one per layer
     * @param previous the mask of an earlier step, whose removed weights stay removed; or
     *     {@link PruningMask#keepAll}
     * @return the new mask, already applied to the model's weights
     * @throws IllegalArgumentException when the sparsity is out of range or below the previous mask's
     *     (weights an earlier step removed stay removed, so the result may be a little sparser than
     *     asked when a layer-scope step follows a global one)
     */
    public static PruningMask prune(SeedModel block, double sparsity, PruningScope scope, PruningMask previous) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("The sparsity must be at least 0 and below 1 (a fraction of the"
                    + " weights to remove), got " + sparsity + ".");
        }
        if (sparsity < previous.sparsity() - 1e-9) {
            throw new IllegalArgumentException("A pruning step cannot bring weights back: the previous step removed "
                    + previous.sparsity() + " of the weights, more than the " + sparsity + " asked for now.");
        }
        float[] values = flatTrainedValues(block);
        if (previous.size() != values.length) {
            throw new IllegalArgumentException("The previous mask covers " + previous.size() + " values, but the model"
                    + " has " + values.length + ": it was made for another model.");
        }
        float[] keep = new float[values.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = previous.keeps(i) ? 1f : 0f; // what an earlier step removed stays removed
        }
        List<PruningMask.Layer> layers = new ArrayList<>();
        if (scope == PruningScope.GLOBAL) {
            int total = previous.layers().stream().mapToInt(PruningMask.Layer::size).sum();
            int[] order = rank(values, previous, previous.layers());
            int remove = (int) Math.round(sparsity * total);
            for (int i = 0; i < remove; i++) {
                keep[order[i]] = 0f;
            }
            for (PruningMask.Layer l : previous.layers()) {
                layers.add(new PruningMask.Layer(l.name(), l.offset(), l.size(), count(keep, l)));
            }
        } else {
            for (PruningMask.Layer l : previous.layers()) {
                int[] order = rank(values, previous, List.of(l));
                int remove = (int) Math.round(sparsity * l.size());
                for (int i = 0; i < remove; i++) {
                    keep[order[i]] = 0f;
                }
                layers.add(new PruningMask.Layer(l.name(), l.offset(), l.size(), count(keep, l)));
            }
        }
        PruningMask mask = new PruningMask(keep, layers);
        mask.applyTo(block);
        return mask;
    }

    /**
     * The sparsity after each step of an iterative schedule in which every step removes the same
     * fraction of the weights still left, ending at the target.
     *
     * @param sparsity the final sparsity
     * @param steps the number of prune steps, 1 for one-shot pruning
     * @return the sparsity after each step, the last one equal to {@code sparsity}
     */
    public static double[] schedule(double sparsity, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("A schedule needs at least one step, got " + steps + ".");
        }
        double[] targets = new double[steps];
        for (int i = 1; i <= steps; i++) {
            targets[i - 1] = i == steps ? sparsity : 1 - Math.pow(1 - sparsity, (double) i / steps);
        }
        return targets;
    }

    /** Indices of the layers' values, removed ones first, then by magnitude, ties in index order. */
    private static int[] rank(float[] values, PruningMask previous, List<PruningMask.Layer> layers) {
        int n = layers.stream().mapToInt(PruningMask.Layer::size).sum();
        long[] keys = new long[n];
        int k = 0;
        for (PruningMask.Layer l : layers) {
            for (int i = 0; i < l.size(); i++) {
                int index = Math.toIntExact(l.offset() + i);
                // |w| as float bits sorts like the float; a removed weight ranks below every kept one
                long magnitude = previous.keeps(index) ? Float.floatToIntBits(Math.abs(values[index])) + 1L : 0L;
                keys[k++] = magnitude << 32 | index;
            }
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] & 0xffffffffL);
        }
        return order;
    }

    private static int count(float[] keep, PruningMask.Layer l) {
        int removed = 0;
        for (int i = 0; i < l.size(); i++) {
            if (keep[Math.toIntExact(l.offset() + i)] == 0f) {
                removed++;
            }
        }
        return removed;
    }

    private static float[] flatTrainedValues(SeedModel block) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (PruningMask.Named p : PruningMask.trained(block)) {
            float[] part = p.param().getArray().toFloatArray();
            parts.add(part);
            total += part.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
