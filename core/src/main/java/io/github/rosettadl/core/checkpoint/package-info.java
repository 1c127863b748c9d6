/**
 * Atomic, validated checkpoints: weights, optimiser state, hyperparameters, history and what
 * prediction needs to know about the data.
 */
package io.github.rosettadl.core.checkpoint;
