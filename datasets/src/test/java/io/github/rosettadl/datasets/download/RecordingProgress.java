package io.github.rosettadl.datasets.download;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every progress event, as text, for assertions. */
public final class RecordingProgress implements ProgressSink {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile long lastUpdate = -1;

    @Override
    public void start(String name, long alreadyHave, long totalBytes) {
        events.add("start " + name + " " + alreadyHave + "/" + totalBytes);
    }

    @Override
    public void update(long doneBytes) {
        lastUpdate = doneBytes;
    }

    @Override
    public void finish(long doneBytes) {
        events.add("finish " + doneBytes);
    }

    /** The start and finish events, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The last update's byte count, or -1. */
    public long lastUpdate() {
        return lastUpdate;
    }
}
