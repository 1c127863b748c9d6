/**
 * Prediction from checkpoints: top-k classes of images, and text from a character RNN.
 */
package io.github.rosettadl.core.predict;
