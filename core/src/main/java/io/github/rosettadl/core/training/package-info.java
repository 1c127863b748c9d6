/**
 * The training loop ({@link io.github.rosettadl.core.training.TrainingSession}), its data
 * interface ({@link io.github.rosettadl.core.training.EpochSource}), hyperparameters, history and
 * progress display.
 */
package io.github.rosettadl.core.training;
