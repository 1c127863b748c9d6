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
 * sorted), and the text encoded as vocabulary indices. A character is a Unicode code point, so an
 * emoji or another character outside the Basic Multilingual Plane is one character, as in Python's
 * {@code sorted(set(text))}, not the two UTF-16 halves a Java {@code char} would see.
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
    /** The distinct code points, ascending; a code point's position is its index. */
    private final int[] vocabulary;
    private final int[] encoded;

    private TextCorpus(String text, String source) {
        if (text.isEmpty()) {
            throw new DatasetException(source + " is empty; a text corpus needs some text.");
        }
        this.text = text;
        this.source = source;
        int[] codePoints = text.codePoints().toArray();
        this.vocabulary = Arrays.stream(codePoints).distinct().sorted().toArray();
        this.encoded = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            encoded[i] = Arrays.binarySearch(vocabulary, codePoints[i]);
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
     * @throws DatasetException if the file is missing, a folder, empty or not UTF-8
     */
    public static TextCorpus fromFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new DatasetException(file + " is a folder, not a text file: name a UTF-8 text file in it");
        }
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
     * The text's length in characters (code points).
     *
     * @return characters
     */
    public int length() {
        return encoded.length;
    }

    /**
     * The distinct characters of the text, sorted by code point; a character's position is its
     * index. Each entry is one code point, so an emoji is one entry of two Java {@code char}s.
     *
     * @return an unmodifiable list
     */
    public List<String> vocabulary() {
        List<String> list = new ArrayList<>(vocabulary.length);
        for (int codePoint : vocabulary) {
            list.add(Character.toString(codePoint));
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
     * @return the character, one code point
     * @throws IndexOutOfBoundsException for an index outside the vocabulary
     */
    public String characterAt(int index) {
        if (index < 0 || index >= vocabulary.length) {
            throw new IndexOutOfBoundsException("character index " + index + " is outside the vocabulary of "
                    + vocabulary.length);
        }
        return Character.toString(vocabulary[index]);
    }

    /**
     * The vocabulary index of a character.
     *
     * @param codePoint the character, for example {@code 'e'}, or {@code 0x1F600} for an emoji
     * @return its index, or -1 when the text does not contain it
     */
    public int indexOf(int codePoint) {
        int index = Arrays.binarySearch(vocabulary, codePoint);
        return index < 0 ? -1 : index;
    }

    /**
     * The characters of a string that the text does not contain, for example to check a prompt
     * before training rather than after.
     *
     * @param s any string
     * @return each missing character once, in order of first appearance; empty when all are known
     */
    public List<String> missingCharacters(String s) {
        return s.codePoints().filter(c -> indexOf(c) < 0).distinct().mapToObj(Character::toString).toList();
    }

    /**
     * The text's first word: its first characters up to the first white space, leading white space
     * skipped. A text without white space, or with a long first word, gives its first
     * {@code maxCharacters} characters; a text of white space only gives its first character.
     *
     * @param maxCharacters the most characters to return, at least 1
     * @return the word, at least one character, every one of the vocabulary
     */
    public String firstWord(int maxCharacters) {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("maxCharacters must be at least 1, got " + maxCharacters);
        }
        int[] word = text.codePoints().dropWhile(Character::isWhitespace)
                .takeWhile(c -> !Character.isWhitespace(c)).limit(maxCharacters).toArray();
        return word.length == 0 ? Character.toString(text.codePointAt(0)) : new String(word, 0, word.length);
    }

    /**
     * Encodes a string, for example a seed sentence for generation.
     *
     * @param s characters of this vocabulary
     * @return their indices, one per code point
     * @throws IllegalArgumentException naming the first character the text does not contain
     */
    public int[] encode(String s) {
        int[] codePoints = s.codePoints().toArray();
        int[] out = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            int index = indexOf(codePoints[i]);
            if (index < 0) {
                throw new IllegalArgumentException("character '" + Character.toString(codePoints[i]) + "' (U+"
                        + String.format("%04X", codePoints[i]) + ") at position " + i
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
            out.append(characterAt(index));
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
