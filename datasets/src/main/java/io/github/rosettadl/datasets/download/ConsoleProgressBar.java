package io.github.rosettadl.datasets.download;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws one line, redrawn in place with a carriage return:
 * {@code train-images-idx3-ubyte.gz  42% [========>           ] 4.2/9.9 MB  1.8 MB/s  ETA 0:03}.
 * Redraws at most ten times a second so a fast download does not flood the terminal.
 */
public final class ConsoleProgressBar implements ProgressSink {

    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final double MB = 1024.0 * 1024.0;

    private final PrintStream out;
    private String name = "";
    private long alreadyHave;
    private long totalBytes = -1;
    private long startNanos;
    private long lastDrawNanos;

    /**
     * Creates a bar that writes to {@code out}.
     *
     * @param out usually {@code System.err}, so that piped standard output stays clean
     */
    public ConsoleProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void start(String name, long alreadyHave, long totalBytes) {
        this.name = name;
        this.alreadyHave = alreadyHave;
        this.totalBytes = totalBytes;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = 0;
        draw(alreadyHave, startNanos);
    }

    @Override
    public synchronized void update(long doneBytes) {
        long now = System.nanoTime();
        if (now - lastDrawNanos >= REDRAW_NANOS) {
            draw(doneBytes, now);
        }
    }

    @Override
    public synchronized void finish(long doneBytes) {
        draw(doneBytes, System.nanoTime());
        out.println();
        out.flush();
    }

    private void draw(long doneBytes, long now) {
        lastDrawNanos = now;
        out.print('\r' + render(name, doneBytes - alreadyHave, doneBytes, totalBytes, (now - startNanos) / 1e9));
        out.flush();
    }

    /**
     * Formats one state of the bar.
     *
     * @param name the file name
     * @param bytesThisRun bytes received since this attempt started, for the rate
     * @param doneBytes bytes of the file on disk
     * @param totalBytes the full size, or -1 when unknown
     * @param seconds seconds since this attempt started
     * @return the line, without a line break
     */
    static String render(String name, long bytesThisRun, long doneBytes, long totalBytes, double seconds) {
        double rate = seconds > 0 ? bytesThisRun / seconds : 0;
        String rateText = String.format(Locale.ROOT, "%.1f MB/s", rate / MB);
        if (totalBytes <= 0) {
            return String.format(Locale.ROOT, "%s  %.1f MB  %s", name, doneBytes / MB, rateText);
        }
        double fraction = Math.min(1.0, (double) doneBytes / totalBytes);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        StringBuilder bar = new StringBuilder(BAR_WIDTH);
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        String eta = rate > 0 ? clock((totalBytes - doneBytes) / rate) : "--:--";
        return String.format(Locale.ROOT, "%s %3d%% [%s] %.1f/%.1f MB  %s  ETA %s",
                name, Math.round(fraction * 100), bar, doneBytes / MB, totalBytes / MB, rateText, eta);
    }

    private static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
