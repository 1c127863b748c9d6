package io.github.rosettadl.core.testing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;

import io.github.rosettadl.core.training.EpochSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Next-character windows over a short text repeated many times: int64 {@code (N, T)} character
 * indices and int64 {@code (N)} next characters, shuffled by seed and epoch.
 */
public final class GeneratedText implements EpochSource {

    private final List<String> vocabulary = new ArrayList<>();
    private final long[] indices;
    private final int window;
    private final int batchSize;
    private final long seed;
    private final int count;

    /**
     * Builds the windows.
     *
     * @param text the text to repeat
     * @param repeats how many times
     * @param window the window length T
     * @param batchSize the batch size
     * @param seed fixes the order
     */
    public GeneratedText(String text, int repeats, int window, int batchSize, long seed) {
        TreeSet<Character> chars = new TreeSet<>();
        for (char ch : text.toCharArray()) {
            chars.add(ch);
        }
        chars.forEach(ch -> vocabulary.add(String.valueOf(ch)));
        String all = text.repeat(repeats);
        indices = new long[all.length()];
        for (int i = 0; i < all.length(); i++) {
            indices[i] = vocabulary.indexOf(String.valueOf(all.charAt(i)));
        }
        this.window = window;
        this.batchSize = batchSize;
        this.seed = seed;
        this.count = all.length() - window;
    }

    /**
     * The characters, sorted; index = class.
     *
     * @return the vocabulary
     */
    public List<String> vocabulary() {
        return vocabulary;
    }

    @Override
    public Iterable<Batch> batches(NDManager manager, int epoch) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(java.util.Arrays.asList(order), new Random(seed * 31 + epoch));
        return () -> new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                int n = Math.min(batchSize, count - next);
                long[] x = new long[n * window];
                long[] y = new long[n];
                for (int i = 0; i < n; i++) {
                    int start = order[next + i];
                    System.arraycopy(indices, start, x, i * window, window);
                    y[i] = indices[start + window];
                }
                next += n;
                NDManager batchManager = manager.newSubManager();
                return new Batch(batchManager, new NDList(batchManager.create(x, new Shape(n, window))),
                        new NDList(batchManager.create(y, new Shape(n))), n, Batchifier.STACK, Batchifier.STACK,
                        next, count);
            }
        };
    }
}
