package io.github.rosettadl.examples;

import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.source.DataOptions;

/**
 * What an example class may change about its seed: where the data comes from, and limits for quick
 * runs (tests, notebooks). With {@link #seed()} defaults it runs exactly the seed's configuration.
 *
 * @param data where the data comes from
 * @param limit at most this many training and this many test examples; 0 for all
 * @param epochs the epoch count, or 0 for the seed's
 */
public record ExampleOptions(DataOptions data, int limit, int epochs) {

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when a limit is negative
     */
    public ExampleOptions {
        if (limit < 0 || epochs < 0) {
            throw new IllegalArgumentException("limit and epochs must be 0 (the seed's) or positive, got "
                    + limit + " and " + epochs + ".");
        }
    }

    /**
     * The seed's own configuration, with data found as {@link DataOptions#defaults()} finds it.
     *
     * @return the options
     */
    public static ExampleOptions seed() {
        return new ExampleOptions(DataOptions.defaults(), 0, 0);
    }

    /**
     * A quick run, for tests and notebooks.
     *
     * @param data where the data comes from
     * @param limit training and test examples
     * @param epochs epochs
     * @return the options
     */
    public static ExampleOptions quick(DataOptions data, int limit, int epochs) {
        return new ExampleOptions(data, limit, epochs);
    }

    TrainingConfig apply(TrainingConfig seedConfig) {
        return epochs > 0 ? seedConfig.withEpochs(epochs) : seedConfig;
    }

    ImageSplit apply(ImageSplit split) {
        return limit > 0 && limit < split.size() ? split.limit(limit) : split;
    }
}
