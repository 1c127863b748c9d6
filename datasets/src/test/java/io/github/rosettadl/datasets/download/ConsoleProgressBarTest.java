package io.github.rosettadl.datasets.download;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bar's text: percentage, bar, bytes, rate and ETA. */
class ConsoleProgressBarTest {

    private static final long MB = 1024 * 1024;

    @Test
    void rendersBytesRateAndEta() {
        String line = ConsoleProgressBar.render("train.gz", 4 * MB, 4 * MB, 10 * MB, 2.0);
        assertEquals("train.gz  40% [==========>             ] 4.0/10.0 MB  2.0 MB/s  ETA 0:03", line);
    }

    @Test
    void rateCountsOnlyThisRunsBytesWhenResuming() {
        String line = ConsoleProgressBar.render("f", 1 * MB, 9 * MB, 10 * MB, 1.0);
        assertTrue(line.endsWith("9.0/10.0 MB  1.0 MB/s  ETA 0:01"), line);
    }

    @Test
    void unknownTotalShowsBytesAndRate() {
        assertEquals("f  3.0 MB  1.5 MB/s", ConsoleProgressBar.render("f", 3 * MB, 3 * MB, -1, 2.0));
    }

    @Test
    void noRateYetShowsNoEta() {
        assertTrue(ConsoleProgressBar.render("f", 0, 0, 10 * MB, 0).endsWith("ETA --:--"));
    }

    @Test
    void longEtaShowsHours() {
        // 1000 B/s with 3,661,000 bytes to go: 1 h 1 min 1 s
        assertTrue(ConsoleProgressBar.render("f", 1000, 1000, 3_662_000, 1.0).endsWith("ETA 1:01:01"));
    }

    @Test
    void drawsInPlaceAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        bar.start("f.gz", 0, 100);
        bar.finish(100);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rf.gz   0% ["), out);
        assertTrue(out.contains("\rf.gz 100% [========================]"), out);
        assertTrue(out.endsWith(System.lineSeparator()), out);
    }
}
