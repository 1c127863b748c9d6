/**
 * The translations: each class is one Python snippet (Keras, PyTorch, TensorFlow) written in Java, statement by statement.
 */
package io.github.rosettadl.examples;
