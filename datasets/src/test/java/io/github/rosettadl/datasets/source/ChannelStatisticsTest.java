package io.github.rosettadl.datasets.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Exact per-channel mean and standard deviation from byte histograms. */
class ChannelStatisticsTest {

    @Test
    void computesPopulationMeanAndStdPerChannel() {
        // two images, two channels of two pixels: channel 0 holds 0, 255, 255, 255; channel 1 holds 51 four times
        byte[] pixels = {0, (byte) 255, 51, 51, (byte) 255, (byte) 255, 51, 51};

        ChannelStatistics stats = ChannelStatistics.of(pixels, 2, 2);

        assertEquals(0.75f, stats.mean()[0], 1e-6f);
        assertEquals((float) Math.sqrt(0.1875), stats.std()[0], 1e-6f);
        assertEquals(0.2f, stats.mean()[1], 1e-6f);
        assertEquals(0f, stats.std()[1], 1e-6f);
    }
}
