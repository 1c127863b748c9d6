/**
 * Step 5, from a split to batches: the images as uint8 in memory, normalisation, epoch order, augmentation and float32 batches.
 */
package io.github.rosettadl.datasets.image;
