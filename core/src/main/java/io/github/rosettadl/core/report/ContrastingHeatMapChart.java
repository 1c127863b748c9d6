package io.github.rosettadl.core.report;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * A heat map whose cell values are black on light cells and white on dark ones, so that every count
 * can be read. XChart draws all values in one colour; this chart draws the figure three times (values
 * in black, values in white, no values) and takes each value pixel from the rendering whose text
 * contrasts with the cell beneath it. The geometry is XChart's own, so the values stay where XChart
 * puts them. Painting changes the styler for the time of the call, so paint one chart from one thread
 * at a time.
 */
final class ContrastingHeatMapChart extends HeatMapChart {

    /** Text on light cells. */
    static final Color DARK_TEXT = Color.BLACK;
    /** Text on dark cells. */
    static final Color LIGHT_TEXT = Color.WHITE;

    ContrastingHeatMapChart(HeatMapChartBuilder builder) {
        super(builder);
    }

    /**
     * The value colour that reads best on a cell: white where white text has the higher contrast
     * ratio (WCAG 2), black elsewhere.
     *
     * @param cell the cell's colour
     * @return {@link #LIGHT_TEXT} or {@link #DARK_TEXT}
     */
    static Color textColorOn(Color cell) {
        double luminance = relativeLuminance(cell.getRGB());
        double againstWhite = 1.05 / (luminance + 0.05);
        double againstBlack = (luminance + 0.05) / 0.05;
        return againstWhite > againstBlack ? LIGHT_TEXT : DARK_TEXT;
    }

    /**
     * The WCAG 2 relative luminance of an sRGB colour, 0 for black and 1 for white.
     *
     * @param rgb the colour as {@link Color#getRGB()} packs it
     * @return the luminance
     */
    static double relativeLuminance(int rgb) {
        return 0.2126 * linear((rgb >> 16) & 0xFF) + 0.7152 * linear((rgb >> 8) & 0xFF) + 0.0722 * linear(rgb & 0xFF);
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        HeatMapStyler styler = getStyler();
        if (!styler.isShowValue()) {
            super.paint(g, width, height);
            return;
        }
        // render at the target's scale (a PNG written at a higher DPI scales g), so the copy is pixel for pixel
        AffineTransform transform = g.getTransform();
        double scaleX = transform.getScaleX();
        double scaleY = transform.getScaleY();
        Color configured = styler.getValueFontColor();
        BufferedImage darkText;
        BufferedImage lightText;
        BufferedImage bare;
        try {
            darkText = render(width, height, scaleX, scaleY, true, DARK_TEXT);
            lightText = render(width, height, scaleX, scaleY, true, LIGHT_TEXT);
            bare = render(width, height, scaleX, scaleY, false, DARK_TEXT);
        } finally {
            styler.setShowValue(true);
            styler.setValueFontColor(configured);
        }
        for (int y = 0; y < darkText.getHeight(); y++) {
            for (int x = 0; x < darkText.getWidth(); x++) {
                int background = bare.getRGB(x, y);
                // a pixel that differs from the bare figure belongs to a value's text
                if (darkText.getRGB(x, y) != background && textColorOn(new Color(background)) == LIGHT_TEXT) {
                    darkText.setRGB(x, y, lightText.getRGB(x, y));
                }
            }
        }
        g.drawImage(darkText, 0, 0, width, height, null);
    }

    private BufferedImage render(int width, int height, double scaleX, double scaleY, boolean showValues,
            Color text) {
        BufferedImage image = new BufferedImage((int) Math.ceil(width * scaleX), (int) Math.ceil(height * scaleY),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(scaleX, scaleY);
            getStyler().setShowValue(showValues);
            getStyler().setValueFontColor(text);
            super.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }
}
