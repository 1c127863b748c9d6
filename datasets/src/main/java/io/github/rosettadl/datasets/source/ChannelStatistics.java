package io.github.rosettadl.datasets.source;

/** Per-channel mean and standard deviation of NCHW uint8 images, exact, from byte histograms. */
final class ChannelStatistics {

    private final float[] mean;
    private final float[] std;

    private ChannelStatistics(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Computes the statistics of {@code x / 255} over all images.
     *
     * @param pixels N images, each {@code channels * planeSize} bytes, channel planes in order
     * @param channels channels per image
     * @param planeSize pixels per channel plane
     * @return the statistics
     */
    static ChannelStatistics of(byte[] pixels, int channels, int planeSize) {
        // a histogram per channel makes the sums exact and the pass a plain counting loop
        long[][] histogram = new long[channels][256];
        int imageBytes = channels * planeSize;
        for (int image = 0; image < pixels.length; image += imageBytes) {
            for (int c = 0; c < channels; c++) {
                long[] h = histogram[c];
                int from = image + c * planeSize;
                for (int p = from, end = from + planeSize; p < end; p++) {
                    h[pixels[p] & 0xFF]++;
                }
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double count = 0;
            double sum = 0;
            double sumSquares = 0;
            for (int v = 0; v < 256; v++) {
                double n = histogram[c][v];
                double x = v / 255.0;
                count += n;
                sum += n * x;
                sumSquares += n * x * x;
            }
            double m = count == 0 ? 0 : sum / count;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(0, count == 0 ? 0 : sumSquares / count - m * m));
        }
        return new ChannelStatistics(mean, std);
    }

    float[] mean() {
        return mean;
    }

    float[] std() {
        return std;
    }
}
