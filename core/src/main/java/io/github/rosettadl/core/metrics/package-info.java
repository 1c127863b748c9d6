/**
 * Classification metrics from a {@link io.github.rosettadl.core.metrics.ConfusionMatrix}:
 * accuracy, per-class precision, recall and F1, macro averages.
 */
package io.github.rosettadl.core.metrics;
