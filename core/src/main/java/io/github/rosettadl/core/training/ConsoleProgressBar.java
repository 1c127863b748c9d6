package io.github.rosettadl.core.training;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar within each epoch (drawn by the progressbar library), then one summary line per
 * epoch:
 *
 * <pre>
 * epoch 2/10  48% [=========&gt;          ] 450/938 (0:00:05 / 0:00:05)  loss 0.1832  41,230 img/s
 * epoch 2/10  loss 0.1377  acc 95.94%  val_loss 0.1201  val_acc 96.41%  2.4 s  41,871 img/s
 * </pre>
 *
 * <p>On a terminal the bar redraws in place and stays, finished, above its summary line; elsewhere
 * (logs, CI, notebooks) only the summary lines are printed, so logs stay readable.
 */
public final class ConsoleProgressBar implements TrainingProgress {

    private static final int MAX_WIDTH = 110;
    private static final int REDRAW_MILLIS = 200;

    private final PrintStream out;
    private final boolean animated;
    private int epochs;
    private ProgressBar bar;
    private boolean lineEnded;

    /**
     * A bar on the given stream.
     *
     * @param out where to print
     * @param animated whether to draw the in-epoch bar, redrawn in place with carriage returns
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
        this.epochs = epochs;
        closeBar();
        if (animated) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(expectedSteps > 0 ? expectedSteps : -1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(REDRAW_MILLIS)
                    .setConsumer(lineConsumer())
                    .build();
        }
    }

    @Override
    public void stepsDone(long steps, long examples, double meanLoss, long elapsedNanos) {
        if (bar == null) {
            return;
        }
        double seconds = elapsedNanos / 1e9;
        bar.stepTo(steps);
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f  %,.0f img/s", meanLoss,
                seconds > 0 ? examples / seconds : 0));
    }

    @Override
    public void epochEnded(EpochMetrics m) {
        closeBar();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %.2f%%",
                m.epoch(), epochs, m.trainLoss(), 100 * m.trainAccuracy()));
        if (!Double.isNaN(m.valLoss())) {
            line.append(String.format(Locale.ROOT, "  val_loss %.4f  val_acc %.2f%%", m.valLoss(),
                    100 * m.valAccuracy()));
        }
        line.append(String.format(Locale.ROOT, "  %.1f s  %,.0f img/s", m.seconds(), m.imagesPerSecond()));
        out.println(line);
        out.flush();
    }

    private ConsoleProgressBarConsumer lineConsumer() {
        lineEnded = false;
        return new ConsoleProgressBarConsumer(out, MAX_WIDTH) {
            @Override
            public void close() {
                lineEnded = true;
                super.close();
            }
        };
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
            // progressbar 0.10.1 skips its closing line break when closed before its first redraw
            if (!lineEnded) {
                out.println();
            }
        }
    }
}
