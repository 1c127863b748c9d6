package io.github.rosettadl.core.predict;

/**
 * One of the top-k answers for an image.
 *
 * @param classIndex the class number
 * @param className the class name
 * @param probability the softmax probability, 0 to 1
 */
public record Prediction(int classIndex, String className, double probability) {
}
