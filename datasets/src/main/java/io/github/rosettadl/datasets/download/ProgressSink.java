package io.github.rosettadl.datasets.download;

/**
 * Receives the progress of one download at a time, so a command line can draw a bar and a
 * notebook or a test can stay quiet. Calls for one download come in order, possibly from an
 * HTTP client thread.
 */
public interface ProgressSink {

    /**
     * A download of {@code name} begins (or resumes).
     *
     * @param name the file being fetched
     * @param alreadyHave bytes kept from an earlier, interrupted attempt
     * @param totalBytes the full size, or -1 when the server does not say
     */
    void start(String name, long alreadyHave, long totalBytes);

    /**
     * More bytes arrived.
     *
     * @param doneBytes bytes of the file on disk so far, including {@code alreadyHave}
     */
    void update(long doneBytes);

    /**
     * The attempt ended, complete or not.
     *
     * @param doneBytes bytes of the file on disk at the end
     */
    void finish(long doneBytes);

    /**
     * A sink that shows nothing.
     *
     * @return the silent sink
     */
    static ProgressSink silent() {
        return SilentProgress.INSTANCE;
    }

    /**
     * A one-line bar with bytes, rate and ETA on standard error.
     *
     * @return a new console bar
     */
    static ProgressSink console() {
        return new DownloadProgressBar(System.err);
    }
}
