package io.github.rosettadl.core.predict;

import java.util.List;

/**
 * The answer for one image: its top classes, and whether its pixels were inverted first because it
 * had a light background where the model's training images are dark.
 *
 * @param top the top classes, most probable first
 * @param inverted true when the image was inverted before predicting
 */
public record Classification(List<Prediction> top, boolean inverted) {

    /**
     * Copies the list.
     *
     * @throws NullPointerException when the list is missing
     */
    public Classification {
        top = List.copyOf(top);
    }
}
