package io.github.rosettadl.examples;

import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.ConsoleProgressBar;
import io.github.rosettadl.core.training.EpochSource;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import java.io.PrintStream;

/**
 * What an image example returns, so that tests and notebooks can check the real run.
 *
 * @param history the per-epoch metrics
 * @param test the final evaluation on the test images
 */
public record ExampleResult(History history, Evaluation test) {

    /**
     * The final test accuracy.
     *
     * @return a fraction between 0 and 1
     */
    public double testAccuracy() {
        return test.accuracy();
    }

    /**
     * Keras's {@code model.fit(..., validation_data=test)} then {@code model.evaluate(test)}, or
     * PyTorch's epoch loop then its {@code torch.no_grad()} test loop: what every image example ends with.
     *
     * @param model the architecture
     * @param config the optimiser and its settings
     * @param train the training batches
     * @param test the test batches, also reported after each epoch
     * @param runtime the started engine
     * @param out where the epoch lines go
     * @return the history and the final test evaluation
     */
    static ExampleResult fitAndEvaluate(ModelSpec model, TrainingConfig config, EpochSource train,
            EpochSource test, TorchRuntime runtime, PrintStream out) {
        try (TrainingSession session = TrainingSession.start(model, config, runtime.device())) {
            session.setProgress(new ConsoleProgressBar(out, false));
            History history = session.fit(train, test);
            return new ExampleResult(history, session.evaluate(test));
        }
    }
}
