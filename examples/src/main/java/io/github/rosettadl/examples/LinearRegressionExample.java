package io.github.rosettadl.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import io.github.rosettadl.core.models.LinearRegression;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.datasets.synthetic.SyntheticLinearData;
import io.github.rosettadl.examples.cli.RosettaCli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The TensorFlow 1 linear-regression seed, statement by statement.
 *
 * <pre>{@code
 * W = tf.Variable(0.0, name='weights'); b = tf.Variable(0.0, name='biases')
 * y = tf.placeholder(tf.float32, name='y'); x = tf.placeholder(tf.float32, name='x')
 * model_output = W * x + b
 * loss = tf.square(y - model_output)
 * optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.001)
 * train_op = optimizer.minimize(loss)
 * with tf.Session() as sess:
 *     sess.run(tf.global_variables_initializer())
 *     for i in range(1000):
 *         x_train, y_train = generate_train_data()
 *         _, loss_val = sess.run([train_op, loss], feed_dict={x: x_train, y: y_train})
 *         if i % 100 == 0:
 *             print('Step %d, Loss: %f' % (i, loss_val))
 * x_test, y_test = generate_test_data()
 * y_pred = sess.run(model_output, feed_dict={x: x_test})
 * accuracy = np.mean((y_pred - y_test) ** 2)
 * print('Test Accuracy: %f' % accuracy)
 * }</pre>
 *
 * <p>Deliberate differences:
 * <ul>
 *   <li>The seed prints the test mean squared error as "accuracy"; it is an error (lower is
 *       better), so this prints it as "Test MSE".
 *   <li>{@code generate_train_data} is not in the seed; {@link SyntheticLinearData} draws
 *       {@code y = 3x + 2 + N(0, 0.1^2)} from a seed. The seed's {@code '%f' % loss_val} only works
 *       for one point per step, so its settings use one point per step.
 *   <li>With a batch, the loss is the batch mean (TensorFlow would sum the gradients), so the
 *       learning rate does not depend on the batch size.
 *   <li>The seed's settings (rate 0.001, 1000 single-point steps) stop far from W = 3, b = 2;
 *       {@link Settings#CONVERGING} (rate 0.1, 100 points a step) gets there in the same 1000 steps.
 * </ul>
 */
public final class LinearRegressionExample {

    private LinearRegressionExample() {}

    /**
     * One configuration of the run.
     *
     * @param name a label printed with the output, so seed and variant runs are never confused
     * @param learningRate the gradient-descent step size
     * @param steps the number of training steps
     * @param batchSize the points drawn per step
     * @param testSize the points in the test set
     * @param seed the data seed
     */
    public record Settings(String name, float learningRate, int steps, int batchSize, int testSize, long seed) {

        /** The seed's own settings: learning rate 0.001, 1000 steps, one point per step. */
        public static final Settings SEED = new Settings("seed", 0.001f, 1000, 1, 100, 42);
        /** Settings that recover W and b to two decimals in the same 1000 steps. */
        public static final Settings CONVERGING = new Settings("converging", 0.1f, 1000, 100, 100, 42);

        /**
         * A copy with another data seed.
         *
         * @param newSeed the seed
         * @return the same settings with that seed
         */
        public Settings withSeed(long newSeed) {
            return new Settings(name, learningRate, steps, batchSize, testSize, newSeed);
        }
    }

    /**
     * What a run learned.
     *
     * @param settings the configuration that produced it
     * @param weight the learned W
     * @param bias the learned b
     * @param losses the training loss at every step
     * @param loggedSteps the steps whose loss was printed ({@code i % 100 == 0})
     * @param testMse the mean squared error on the test points
     */
    public record Result(
            Settings settings, float weight, float bias, List<Float> losses, List<Integer> loggedSteps, float testMse) {

        /**
         * Whether W and b are within {@code tolerance} of the line the data was drawn from.
         *
         * @param tolerance the largest accepted absolute error
         * @return true when both parameters are that close
         */
        public boolean recovered(float tolerance) {
            return largestError() <= tolerance;
        }

        /**
         * How far the worse of W and b is from the line the data was drawn from.
         *
         * @return the larger absolute error
         */
        public float largestError() {
            return Math.max(Math.abs(weight - SyntheticLinearData.TRUE_WEIGHT),
                    Math.abs(bias - SyntheticLinearData.TRUE_BIAS));
        }
    }

    /**
     * Runs the seed with its own settings, then with the converging ones.
     *
     * @param args ignored; use the {@code linear-regression} command for flags
     */
    public static void main(String[] args) {
        System.exit(RosettaCli.execute("linear-regression"));
    }

    /**
     * Trains and evaluates the model with the given settings.
     *
     * @param settings the configuration
     * @param runtime the started engine and its device
     * @param out where the step log goes
     * @return what was learned
     */
    public static Result run(Settings settings, TorchRuntime runtime, PrintWriter out) {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        SyntheticLinearData data = new SyntheticLinearData(settings.seed(), settings.batchSize());
        List<Float> losses = new ArrayList<>(settings.steps());
        List<Integer> logged = new ArrayList<>();

        // W = tf.Variable(0.0, name='weights'); b = tf.Variable(0.0, name='biases')
        // model_output = W * x + b
        LinearRegression linearRegression = new LinearRegression();
        try (Model model = Model.newInstance("linear-regression", runtime.device())) {
            model.setBlock(linearRegression);
            // loss = tf.square(y - model_output): L2Loss with weight 1 is exactly mean((y - out)^2)
            // optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.001)
            DefaultTrainingConfig config = trainingConfig(settings, runtime.devices().toArray(new ai.djl.Device[0]));
            // with tf.Session() as sess: sess.run(tf.global_variables_initializer())
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize()));
                for (int i = 0; i < settings.steps(); i++) {
                    // x_train, y_train = generate_train_data()
                    SyntheticLinearData.Points train = data.generateTrainData();
                    // _, loss_val = sess.run([train_op, loss], feed_dict={x: x_train, y: y_train})
                    float lossVal = trainStep(trainer, train);
                    losses.add(lossVal);
                    if (i % 100 == 0) {
                        logged.add(i);
                        out.printf(Locale.ROOT, "Step %d, Loss: %f%n", i, lossVal);
                    }
                }
                // x_test, y_test = generate_test_data(); y_pred = sess.run(model_output, ...)
                float testMse = testMse(trainer, data.generateTestData(settings.testSize()));
                return new Result(settings, linearRegression.weight(), linearRegression.bias(),
                        List.copyOf(losses), List.copyOf(logged), testMse);
            }
        }
    }

    /**
     * The loss and optimiser of the seed: {@code tf.square(y - model_output)}, averaged over the
     * points, and plain gradient descent at the settings' rate.
     *
     * @param settings the run's settings
     * @param devices where to train
     * @return the DJL training configuration
     */
    public static DefaultTrainingConfig trainingConfig(Settings settings, ai.djl.Device... devices) {
        return new DefaultTrainingConfig(Loss.l2Loss("squared_error", 1f))
                .optOptimizer(Optimizer.sgd()
                        .setLearningRateTracker(Tracker.fixed(settings.learningRate()))
                        .build())
                .optDevices(devices);
    }

    /**
     * One training step: forward, loss, backward, update.
     *
     * @param trainer the trainer of {@link #trainingConfig}
     * @param points the step's points
     * @return the step's loss, before the update
     */
    public static float trainStep(Trainer trainer, SyntheticLinearData.Points points) {
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray x = points.x(step);
            NDArray y = points.y(step);
            float lossVal;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray modelOutput = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(modelOutput));
                collector.backward(loss);
                lossVal = loss.getFloat();
            }
            trainer.step();
            return lossVal;
        }
    }

    private static float testMse(Trainer trainer, SyntheticLinearData.Points test) {
        try (NDManager eval = trainer.getManager().newSubManager()) {
            NDArray yPred = trainer.evaluate(new NDList(test.x(eval))).singletonOrThrow();
            // accuracy = np.mean((y_pred - y_test) ** 2): an error, reported as such
            return yPred.sub(test.y(eval)).square().mean().getFloat();
        }
    }
}
