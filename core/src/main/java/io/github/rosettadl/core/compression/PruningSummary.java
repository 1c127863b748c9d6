package io.github.rosettadl.core.compression;

import java.util.List;

/**
 * How a checkpoint was pruned: {@code pruning.json} in a pruned checkpoint.
 *
 * @param method always {@code magnitude}: the smallest absolute values were removed
 * @param scope {@code global} or {@code layer}
 * @param targetSparsity the fraction of prunable weights asked to be removed
 * @param sparsity the fraction removed
 * @param steps prune steps of the schedule, 1 for one-shot
 * @param fineTuneEpochs epochs of fine-tuning after each step, with the mask held
 * @param layers every prunable tensor and how much of it was removed
 * @param optimizerMoments what {@code optimizer.sparse} holds: the optimiser's buffers are not
 *     needed to predict, so they are stored as zeros (a few bytes), and a further fine-tune starts
 *     them afresh
 */
public record PruningSummary(String method, String scope, double targetSparsity, double sparsity, int steps,
        int fineTuneEpochs, List<PruningMask.Layer> layers, String optimizerMoments) {

    /**
     * The summary of a mask.
     *
     * @param mask the final mask
     * @param scope the scope it was made with
     * @param targetSparsity the sparsity asked for
     * @param steps prune steps
     * @param fineTuneEpochs epochs of fine-tuning per step
     * @return the summary
     */
    public static PruningSummary of(PruningMask mask, PruningScope scope, double targetSparsity, int steps,
            int fineTuneEpochs) {
        return new PruningSummary("magnitude", scope.cliName(), targetSparsity, mask.sparsity(), steps, fineTuneEpochs,
                mask.layers(), "zeros");
    }
}
