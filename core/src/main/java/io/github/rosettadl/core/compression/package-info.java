/**
 * Smaller models from trained checkpoints: magnitude pruning with masks that hold through
 * fine-tuning ({@link io.github.rosettadl.core.compression.MagnitudePruning},
 * {@link io.github.rosettadl.core.compression.PruningMask}) and checkpoints that store only the
 * nonzero weights ({@link io.github.rosettadl.core.compression.SparseParameters},
 * {@link io.github.rosettadl.core.compression.PrunedCheckpoint}).
 */
package io.github.rosettadl.core.compression;
