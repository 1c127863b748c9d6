package io.github.rosettadl.datasets.text;

import io.github.rosettadl.datasets.DatasetException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A text for a character-level language model: the text, its vocabulary (the distinct characters,
 * sorted), and the text encoded as vocabulary indices. Characters are Java {@code char}s.
 *
 * <p>{@link #bundled()} is Jane Austen's <i>Persuasion</i> (1818, public domain; see the README
 * beside {@code persuasion.txt} for where the copy comes from); {@link #fromFile(Path)} reads any
 * UTF-8 text.
 */
public final class TextCorpus {

    /** The class-path resource of the bundled text. */
    public static final String BUNDLED_RESOURCE = "/io/github/rosettadl/datasets/text/persuasion.txt";

    private final String text;
    private final String source;
    private final char[] vocabulary;
    private final int[] indexOfChar;
    private final int[] encoded;

    private TextCorpus(String text, String source) {
        if (text.isEmpty()) {
            throw new DatasetException(source + " is empty; a text corpus needs some text.");
        }
        this.text = text;
        this.source = source;
        boolean[] seen = new boolean[Character.MAX_VALUE + 1];
        for (int i = 0; i < text.length(); i++) {
            seen[text.charAt(i)] = true;
        }
        int[] index = new int[Character.MAX_VALUE + 1];
        Arrays.fill(index, -1);
        StringBuilder chars = new StringBuilder();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (seen[c]) {
                index[c] = chars.length();
                chars.append((char) c);
            }
        }
        this.vocabulary = chars.toString().toCharArray();
        this.indexOfChar = index;
        this.encoded = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            encoded[i] = index[text.charAt(i)];
        }
    }

    /**
     * The bundled text, Jane Austen's <i>Persuasion</i>, about 467,000 characters.
     *
     * @return the corpus
     */
    public static TextCorpus bundled() {
        try (InputStream in = TextCorpus.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new DatasetException("the bundled text " + BUNDLED_RESOURCE + " is missing from the class"
                        + " path; the rosetta-dl-datasets jar is incomplete, rebuild it");
            }
            return new TextCorpus(decode(in.readAllBytes(), BUNDLED_RESOURCE), "Persuasion by Jane Austen (bundled)");
        } catch (IOException e) {
            throw new DatasetException("could not read the bundled text " + BUNDLED_RESOURCE + ": " + e, e);
        }
    }

    /**
     * Reads a UTF-8 text file. Windows line ends become {@code \n} and a byte-order mark is dropped,
     * so they do not enter the vocabulary.
     *
     * @param file the text
     * @return the corpus
     * @throws DatasetException if the file is missing, empty or not UTF-8
     */
    public static TextCorpus fromFile(Path file) {
        try {
            return new TextCorpus(decode(Files.readAllBytes(file), file.toString()), file.toString());
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing text file " + file + ": check the path", e);
        } catch (IOException e) {
            throw new DatasetException("could not read the text file " + file + ": " + e, e);
        }
    }

    /**
     * Wraps a text already in memory.
     *
     * @param text the text, not empty
     * @param source a name for messages
     * @return the corpus
     */
    public static TextCorpus of(String text, String source) {
        return new TextCorpus(text, source);
    }

    private static String decode(byte[] bytes, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DatasetException(source + " is not UTF-8 text (" + e + "). Convert it first, for example"
                    + " with 'iconv -f LATIN1 -t UTF-8'.", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return text.replace("\r\n", "\n");
    }

    /**
     * The same text in lower case, as the Keras text-generation example uses it: a smaller vocabulary.
     *
     * @return a new corpus
     */
    public TextCorpus lowerCase() {
        return new TextCorpus(text.toLowerCase(Locale.ROOT), source + ", lower-cased");
    }

    /**
     * The text.
     *
     * @return the whole text
     */
    public String text() {
        return text;
    }

    /**
     * Where the text came from.
     *
     * @return a file name or a description
     */
    public String source() {
        return source;
    }

    /**
     * The text's length.
     *
     * @return characters
     */
    public int length() {
        return text.length();
    }

    /**
     * The distinct characters of the text, sorted; a character's position is its index.
     *
     * @return an unmodifiable list
     */
    public List<Character> vocabulary() {
        List<Character> list = new ArrayList<>(vocabulary.length);
        for (char c : vocabulary) {
            list.add(c);
        }
        return List.copyOf(list);
    }

    /**
     * How many distinct characters there are.
     *
     * @return the vocabulary size
     */
    public int vocabularySize() {
        return vocabulary.length;
    }

    /**
     * The text as vocabulary indices.
     *
     * @return a copy, one index per character
     */
    public int[] encoded() {
        return encoded.clone();
    }

    /**
     * The character with a given vocabulary index.
     *
     * @param index 0 to {@code vocabularySize() - 1}
     * @return the character
     * @throws IndexOutOfBoundsException for an index outside the vocabulary
     */
    public char charAt(int index) {
        if (index < 0 || index >= vocabulary.length) {
            throw new IndexOutOfBoundsException("character index " + index + " is outside the vocabulary of "
                    + vocabulary.length);
        }
        return vocabulary[index];
    }

    /**
     * The vocabulary index of a character.
     *
     * @param c the character
     * @return its index, or -1 when the text does not contain it
     */
    public int indexOf(char c) {
        return indexOfChar[c];
    }

    /**
     * Encodes a string, for example a seed sentence for generation.
     *
     * @param s characters of this vocabulary
     * @return their indices
     * @throws IllegalArgumentException naming the first character the text does not contain
     */
    public int[] encode(String s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < s.length(); i++) {
            int index = indexOfChar[s.charAt(i)];
            if (index < 0) {
                throw new IllegalArgumentException("character '" + s.charAt(i) + "' (U+"
                        + String.format("%04X", (int) s.charAt(i)) + ") at position " + i
                        + " is not in the vocabulary of " + source);
            }
            out[i] = index;
        }
        return out;
    }

    /**
     * Turns indices back into text.
     *
     * @param indices vocabulary indices
     * @return the characters
     */
    public String decode(int[] indices) {
        StringBuilder out = new StringBuilder(indices.length);
        for (int index : indices) {
            out.append(charAt(index));
        }
        return out.toString();
    }

    /**
     * Next-character training data, as the Keras text-generation example builds it: a sequence
     * starts every {@code step} characters, holds {@code sequenceLength} characters, and its label is
     * the character after it. Each epoch visits the sequences in a seeded random order.
     *
     * @param sequenceLength characters per sequence (Keras: 40)
     * @param step characters between sequence starts (Keras: 3)
     * @param batchSize sequences per batch
     * @param seed the seed of the visiting order
     * @param limit at most this many sequences, the first ones; 0 or less for all
     * @return the sequences as a DJL data set
     */
    public SequenceBatches sequences(int sequenceLength, int step, int batchSize, long seed, int limit) {
        return new SequenceBatches(this, encoded, sequenceLength, step, batchSize, seed, limit);
    }

    @Override
    public String toString() {
        return source + ": " + length() + " characters, " + vocabulary.length + " distinct";
    }
}
