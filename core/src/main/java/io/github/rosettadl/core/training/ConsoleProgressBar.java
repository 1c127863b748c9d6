package io.github.rosettadl.core.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar within each epoch, then one summary line per epoch:
 *
 * <pre>
 * epoch 2/10 [=========&gt;          ] 48%  450/938  loss 0.1832  41,230 img/s  ETA 0:05
 * epoch 2/10  loss 0.1377  acc 95.94%  val_loss 0.1201  val_acc 96.41%  2.4 s  41,871 img/s
 * </pre>
 *
 * <p>On a terminal the bar redraws in place; elsewhere (logs, CI) only the summary lines are
 * printed, so logs stay readable.
 */
public final class ConsoleProgressBar implements TrainingProgress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean animated;
    private int epoch;
    private int epochs;
    private long expectedSteps;
    private int lastLength;

    /**
     * A bar on the given stream.
     *
     * @param out where to print
     * @param animated whether to redraw the bar in place with carriage returns
     */
    public ConsoleProgressBar(PrintStream out, boolean animated) {
        this.out = out;
        this.animated = animated;
    }

    /**
     * A bar on standard error, animated when the JVM has a console.
     *
     * @return the bar
     */
    public static ConsoleProgressBar onStandardError() {
        return new ConsoleProgressBar(System.err, System.console() != null);
    }

    @Override
    public void epochStarted(int epoch, int epochs, long expectedSteps) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.expectedSteps = expectedSteps;
    }

    @Override
    public void stepsDone(long steps, long examples, double meanLoss, long elapsedNanos) {
        if (!animated) {
            return;
        }
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? examples / seconds : 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d ", epoch, epochs));
        if (expectedSteps > 0) {
            double done = Math.min(1.0, (double) steps / expectedSteps);
            int filled = (int) (done * WIDTH);
            line.append('[').append("=".repeat(filled)).append(filled < WIDTH ? ">" : "")
                    .append(" ".repeat(Math.max(0, WIDTH - filled - 1))).append(']')
                    .append(String.format(Locale.ROOT, " %3d%%  %d/%d", Math.round(done * 100), steps, expectedSteps));
            long remaining = steps > 0 ? Math.round(seconds / steps * (expectedSteps - steps)) : 0;
            line.append(String.format(Locale.ROOT, "  loss %.4f  %,.0f img/s  ETA %d:%02d", meanLoss, rate,
                    remaining / 60, remaining % 60));
        } else {
            line.append(String.format(Locale.ROOT, "step %d  loss %.4f  %,.0f img/s", steps, meanLoss, rate));
        }
        redraw(line.toString());
    }

    @Override
    public void epochEnded(EpochMetrics m) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %.2f%%",
                m.epoch(), epochs, m.trainLoss(), 100 * m.trainAccuracy()));
        if (!Double.isNaN(m.valLoss())) {
            line.append(String.format(Locale.ROOT, "  val_loss %.4f  val_acc %.2f%%", m.valLoss(),
                    100 * m.valAccuracy()));
        }
        line.append(String.format(Locale.ROOT, "  %.1f s  %,.0f img/s", m.seconds(), m.imagesPerSecond()));
        if (animated) {
            redraw(line.toString());
            out.println();
        } else {
            out.println(line);
        }
        out.flush();
        lastLength = 0;
    }

    private void redraw(String line) {
        String pad = " ".repeat(Math.max(0, lastLength - line.length()));
        out.print("\r" + line + pad);
        out.flush();
        lastLength = line.length();
    }
}
