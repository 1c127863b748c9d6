package io.github.rosettadl.examples.cli.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import java.util.List;

/** A DP-SGD row keeps its epsilon-accuracy curve in its detail, and the page's chart reads it back. */
class DpResultRunTest {

    private static final List<DpResultRun.CurvePoint> CURVE = List.of(new DpResultRun.CurvePoint(1, 0.75, 81.9),
            new DpResultRun.CurvePoint(2, 0.98, 91.48), new DpResultRun.CurvePoint(5, 1.35, 95.25),
            new DpResultRun.CurvePoint(40, 2.53, 98.19));

    private static ResultRow dpRow(String id, String detail) {
        return new ResultRow(id, PlannedRun.Kind.IMAGE_DP.label(), id + " in words", 40, ResultRow.TEST_ACCURACY, 98.19,
                98.2, 39, null, 97.0, true, detail, 230.0, 14000, 2, 0, "./rosetta train tanh-cnn --dp", "0000000",
                "2026-12-01T14:00:00Z", "AMD EPYC, 2 cores, Java 17", 0.5);
    }

    @Test
    void theCurveReadsBackFromTheDetailAsWritten() {
        String detail = "epsilon 2.53 at delta 1.0E-5 (classic conversion: 2.93), q 0.00853, 4720 steps; "
                + DpResultRun.curveText(CURVE);
        assertTrue(detail.endsWith("1: 0.75, 81.90%; 2: 0.98, 91.48%; 5: 1.35, 95.25%; 40: 2.53, 98.19%"), detail);
        assertEquals(CURVE, DpResultRun.curveOf(detail));
        assertEquals(List.of(), DpResultRun.curveOf("epsilon 2.90 at delta 1.0E-5 (classic conversion: 3.27),"
                + " q 0.00427, 940 steps"), "a row stored before rows kept their curve has none");
    }

    @Test
    void theChartHasOneLinePerStoredCurve() {
        String id = DpResultRun.TANH_SIGMA_1_25.id();
        assertNull(DpResultRun.curveChart(List.of(dpRow(id, "epsilon 2.53"))), "no curve, no chart");
        XYChart chart = DpResultRun.curveChart(List.of(dpRow(id, DpResultRun.curveText(CURVE)),
                dpRow("mlp/mnist", DpResultRun.curveText(CURVE))));
        assertNotNull(chart);
        assertEquals(List.of("tanh-cnn, sigma 1.25"), List.copyOf(chart.getSeriesMap().keySet()));
        double[] x = chart.getSeriesMap().get("tanh-cnn, sigma 1.25").getXData();
        assertEquals(4, x.length);
        assertEquals(2.53, x[3], 1e-12);
    }
}
