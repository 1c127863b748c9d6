package io.github.rosettadl.datasets.download;

/** The sink behind {@link ProgressSink#silent()}. */
enum SilentProgress implements ProgressSink {
    INSTANCE;

    @Override
    public void start(String name, long alreadyHave, long totalBytes) {
        // nothing to show
    }

    @Override
    public void update(long doneBytes) {
        // nothing to show
    }

    @Override
    public void finish(long doneBytes) {
        // nothing to show
    }
}
