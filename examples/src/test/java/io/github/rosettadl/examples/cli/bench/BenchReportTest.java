package io.github.rosettadl.examples.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The percentiles match numpy's default (linear) so that both sides of the benchmark agree. */
class BenchReportTest {

    @Test
    void percentilesInterpolateLinearlyBetweenRanks() {
        double[] sorted = {1, 2, 3, 4};
        // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) == [1.3, 2.5, 3.7]
        assertEquals(1.3, BenchReport.percentile(sorted, 10), 1e-12);
        assertEquals(2.5, BenchReport.percentile(sorted, 50), 1e-12);
        assertEquals(3.7, BenchReport.percentile(sorted, 90), 1e-12);
        assertEquals(7.0, BenchReport.percentile(new double[] {7}, 90), 1e-12);
    }
}
