package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Where the training loop gets its batches, one pass at a time. Core never depends on a particular
 * dataset: anything that can hand out the batches of an epoch will do, for example
 * {@code imageBatches::epoch} from the datasets module, or {@link #of(Dataset)} for a DJL dataset.
 *
 * <p>Each image batch holds data {@code NDList(float32 (N, C, H, W))}, NCHW-contiguous, and labels
 * {@code NDList(int64 (N))}; a character batch holds int64 {@code (N, T)} indices and int64
 * {@code (N)} next characters. The loop closes every batch it receives, so each batch should own
 * its arrays (a sub-manager of {@code manager}, as DJL's datasets do).
 *
 * <p>For a resumed run to repeat an uninterrupted one exactly, the batches must depend only on
 * the seed and {@code epoch}, not on how many epochs this process has already run.
 */
@FunctionalInterface
public interface EpochSource {

    /**
     * The batches of one pass over the data.
     *
     * @param manager the manager to create the batches under, on the training device
     * @param epoch the 1-based epoch number, for epoch-dependent shuffling
     * @return the batches, each closed by the caller
     */
    Iterable<Batch> batches(NDManager manager, int epoch);

    /**
     * A plain DJL dataset as a source: one {@code getData} per epoch, in the order its sampler gives.
     * DJL's random sampler draws from a process-wide generator, so such a source is repeatable from
     * a fresh seed but not across a resume.
     *
     * @param dataset the prepared dataset
     * @return a source over it
     */
    static EpochSource of(Dataset dataset) {
        Objects.requireNonNull(dataset, "dataset");
        return (manager, epoch) -> {
            try {
                return dataset.getData(manager);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the dataset for epoch " + epoch + ": "
                        + e.getMessage(), e);
            } catch (TranslateException e) {
                throw new IllegalStateException("Could not build the batches of epoch " + epoch + ": "
                        + e.getMessage(), e);
            }
        };
    }
}
