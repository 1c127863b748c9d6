package io.github.rosettadl.core.predict;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.models.CharRnn;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Writes text with a trained {@link CharRnn} by sampling one character at a time, as the Keras
 * seed's {@code sample} function does:
 *
 * <pre>{@code
 * def sample(preds, temperature=1.0):
 *     preds = np.log(preds) / temperature
 *     exp_preds = np.exp(preds)
 *     preds = exp_preds / np.sum(exp_preds)
 *     return np.argmax(np.random.multinomial(1, preds, 1))
 * }</pre>
 *
 * <p>That is a softmax of {@code logits / temperature}: below 1 the text gets safer and more
 * repetitive, above 1 more surprising. The model sees the last {@code sequenceLength} characters.
 */
public final class TextGenerator implements AutoCloseable {

    /** How many of the model's characters an error message lists. */
    private static final int LISTED_CHARACTERS = 200;

    private final LoadedCheckpoint checkpoint;
    private final String source;
    private final List<String> vocabulary;
    private final Map<Integer, Integer> indexOfCodePoint = new HashMap<>();
    private final int window;

    private TextGenerator(LoadedCheckpoint checkpoint, String source) {
        if (!(checkpoint.description().model() instanceof CharRnn.Spec spec)) {
            throw new IllegalArgumentException("The checkpoint holds " + checkpoint.description().model().modelName()
                    + ", not a char-rnn.");
        }
        this.checkpoint = checkpoint;
        this.source = source;
        this.vocabulary = checkpoint.description().data().classNames();
        this.window = spec.sequenceLength();
        for (int i = 0; i < vocabulary.size(); i++) {
            String s = vocabulary.get(i);
            if (s.codePointCount(0, s.length()) != 1) {
                throw new IllegalArgumentException("A char-rnn vocabulary holds single characters, but entry " + i
                        + " is '" + s + "'.");
            }
            indexOfCodePoint.put(s.codePointAt(0), i);
        }
    }

    /**
     * Loads a generator from a char-rnn checkpoint, whose class names are its vocabulary.
     *
     * @param file the checkpoint
     * @param device where to run the model
     * @return the generator; the caller closes it
     * @throws io.github.rosettadl.core.checkpoint.CheckpointException when the checkpoint cannot be loaded
     * @throws IllegalArgumentException when it holds no char-rnn
     */
    public static TextGenerator load(Path file, Device device) {
        LoadedCheckpoint loaded = Checkpoint.load(file, device);
        try {
            return new TextGenerator(loaded, file.toString());
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /**
     * The characters the model knows, in the order of its outputs.
     *
     * @return one code point per entry
     */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /**
     * The characters of a prompt that the model does not know.
     *
     * @param prompt any text
     * @return each unknown character once, in order of first appearance; empty when the prompt fits
     */
    public List<String> unknownCharacters(String prompt) {
        return prompt.codePoints().filter(cp -> !indexOfCodePoint.containsKey(cp)).distinct()
                .mapToObj(Character::toString).toList();
    }

    /**
     * A one-character prompt the model knows, for when no other prompt fits: its first letter in
     * code-point order, else its first character that is not white space, else its first character.
     *
     * @return one character of the vocabulary
     */
    public String firstLetter() {
        return vocabulary.stream().filter(c -> Character.isLetter(c.codePointAt(0))).findFirst()
                .or(() -> vocabulary.stream().filter(c -> !Character.isWhitespace(c.codePointAt(0))).findFirst())
                .orElse(vocabulary.get(0));
    }

    /**
     * Continues a prompt.
     *
     * @param prompt the start of the text, only characters of the vocabulary, at least one
     * @param length how many characters to add
     * @param temperature above 0; 1 samples the model's own distribution
     * @param seed fixes the sampling
     * @return the prompt followed by the generated characters
     * @throws IllegalArgumentException when the prompt is empty or has a character outside the
     *     vocabulary (the message names those characters and lists the valid ones), or the
     *     temperature is not positive
     */
    public String generate(String prompt, int length, float temperature, long seed) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("The temperature must be a positive number, got " + temperature + ".");
        }
        int[] codePoints = prompt.codePoints().toArray();
        if (codePoints.length == 0) {
            throw new IllegalArgumentException("The prompt needs at least one character.");
        }
        List<String> unknown = unknownCharacters(prompt);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("The prompt \"" + prompt + "\" has " + unknown.size()
                    + (unknown.size() == 1 ? " character" : " characters") + " that the model in " + source
                    + " never saw: "
                    + unknown.stream().map(TextGenerator::describe).collect(Collectors.joining(", "))
                    + ". It knows these " + vocabulary.size() + " characters: " + knownCharacters()
                    + ". Write the prompt with them, for example a word of the text the model learned.");
        }
        StringBuilder text = new StringBuilder(prompt);
        long[] recent = new long[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            recent[i] = indexOfCodePoint.get(codePoints[i]);
        }
        Random random = new Random(seed);
        JniUtils.setGradMode(false);
        try (NDManager manager = checkpoint.model().getNDManager().newSubManager()) {
            ParameterStore parameterStore = new ParameterStore(manager, false);
            for (int n = 0; n < length; n++) {
                int from = Math.max(0, recent.length - window);
                float[] logits;
                try (NDManager step = manager.newSubManager()) {
                    long[] context = Arrays.copyOfRange(recent, from, recent.length);
                    NDArray x = step.create(context, new Shape(1, context.length));
                    logits = checkpoint.model().getBlock()
                            .forward(parameterStore, new NDList(x), false).head().toFloatArray();
                }
                int next = sample(logits, temperature, random);
                text.append(vocabulary.get(next));
                recent = Arrays.copyOfRange(recent, recent.length - Math.min(recent.length, window - 1),
                        recent.length + 1);
                recent[recent.length - 1] = next;
            }
        }
        return text.toString();
    }

    /** A character for a message: {@code 'I' (U+0049)}, with line ends and tabs escaped. */
    private static String describe(String character) {
        return "'" + escape(character) + "' (U+" + String.format("%04X", character.codePointAt(0)) + ")";
    }

    /** The vocabulary as one quoted string, cut after {@value #LISTED_CHARACTERS} characters. */
    private String knownCharacters() {
        String listed = vocabulary.stream().limit(LISTED_CHARACTERS).map(TextGenerator::escape)
                .collect(Collectors.joining());
        return "\"" + listed + "\"" + (vocabulary.size() > LISTED_CHARACTERS
                ? " and " + (vocabulary.size() - LISTED_CHARACTERS) + " more" : "");
    }

    /** Makes invisible characters visible, as Java writes them in a string literal. */
    private static String escape(String character) {
        int cp = character.codePointAt(0);
        return switch (cp) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            default -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    ? String.format("\\u%04X", cp) : character;
        };
    }

    /** Draws from softmax(logits / temperature). */
    static int sample(float[] logits, float temperature, Random random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = Math.exp(logits[i] / temperature - max);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
