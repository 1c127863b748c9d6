package io.github.rosettadl.core.training;

import io.github.rosettadl.core.metrics.ConfusionMatrix;

import java.util.List;

/**
 * A model's loss and accuracy on a data set, and optionally every label and prediction.
 *
 * @param examples how many examples were seen
 * @param loss the mean cross-entropy
 * @param accuracy the fraction predicted right
 * @param labels the true class of each example, in order; empty unless predictions were kept
 * @param predictions the predicted class of each example; empty unless predictions were kept
 */
public record Evaluation(long examples, double loss, double accuracy, int[] labels, int[] predictions) {

    /**
     * The confusion matrix of the kept predictions.
     *
     * @param classNames one name per class
     * @return the matrix
     * @throws IllegalStateException when the predictions were not kept
     */
    public ConfusionMatrix confusionMatrix(List<String> classNames) {
        if (labels.length == 0 && examples > 0) {
            throw new IllegalStateException("This evaluation did not keep its predictions.");
        }
        return ConfusionMatrix.of(labels, predictions, classNames);
    }
}
