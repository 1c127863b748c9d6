package io.github.rosettadl.datasets.download;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

class DownloadProgressBarTest {

    private static final long MB = 1024 * 1024;

    @Test
    void drawsTheFileInMegabytesInPlaceAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DownloadProgressBar bar = new DownloadProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        bar.start("f.gz", 2 * MB, 10 * MB);
        bar.update(4 * MB);
        bar.finish(10 * MB);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rf.gz"), out.replace("\r", "<CR>"));
        assertTrue(out.contains("100%"), out);
        assertTrue(out.contains("10/10MB"), out);
        assertTrue(out.endsWith(System.lineSeparator()), out.replace("\r", "<CR>").replace("\n", "<LF>"));
    }

    @Test
    void anUnknownSizeStillShowsTheBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DownloadProgressBar bar = new DownloadProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        bar.start("f.gz", 0, -1);
        bar.finish(3 * MB);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("f.gz"), out);
        assertTrue(out.contains("3/?MB"), out);
    }
}
