package io.github.rosettadl.datasets.download;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;

/**
 * The bar of one download, drawn by the progressbar library and redrawn in place:
 * {@code train-images-idx3-ubyte.gz  42% [========>           ] 4.2/9.9MB (0:00:02 / 0:00:03) 1.8MB/s}.
 * Redraws at most ten times a second, so a fast download does not flood the terminal.
 */
public final class DownloadProgressBar implements ProgressSink {

    private static final long MB = 1024 * 1024;
    private static final int MAX_WIDTH = 110;
    private static final int REDRAW_MILLIS = 100;

    private final PrintStream out;
    private ProgressBar bar;
    private boolean lineEnded;

    /**
     * Creates a bar that writes to {@code out}.
     *
     * @param out usually {@code System.err}, so that piped standard output stays clean
     */
    public DownloadProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void start(String name, long alreadyHave, long totalBytes) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(totalBytes > 0 ? totalBytes : -1)
                .startsFrom(alreadyHave, Duration.ZERO)
                .setUnit("MB", MB)
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(REDRAW_MILLIS)
                .setConsumer(lineConsumer())
                .build();
    }

    @Override
    public synchronized void update(long doneBytes) {
        if (bar != null) {
            bar.stepTo(doneBytes);
        }
    }

    @Override
    public synchronized void finish(long doneBytes) {
        update(doneBytes);
        close();
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

    private void close() {
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
