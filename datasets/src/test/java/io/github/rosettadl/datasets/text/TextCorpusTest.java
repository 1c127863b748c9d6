package io.github.rosettadl.datasets.text;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.files.Md5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled text, vocabulary building, encoding, and reading other text files. */
class TextCorpusTest {

    @TempDir
    Path dir;

    @Test
    void bundledTextIsTheDocumentedCopyOfPersuasion() throws IOException {
        try (InputStream in = TextCorpus.class.getResourceAsStream(TextCorpus.BUNDLED_RESOURCE)) {
            // the md5 its README states
            assertEquals("ea2a674ea8b3910c5d01858f75881e1a", Md5.of(in.readAllBytes()));
        }
        TextCorpus corpus = TextCorpus.bundled();

        assertEquals(466_854, corpus.length());
        assertTrue(corpus.text().startsWith("Persuasion\n\n\nby\n\nJane Austen\n\n(1818)"));
        assertTrue(corpus.text().contains("Sir Walter Elliot, of Kellynch Hall, in Somersetshire"));
        assertTrue(corpus.text().endsWith("Finis\n"));
    }

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        TextCorpus corpus = TextCorpus.bundled();
        List<String> vocabulary = corpus.vocabulary();

        assertEquals(corpus.text().chars().distinct().count(), vocabulary.size());
        assertEquals(vocabulary.size(), corpus.vocabularySize());
        for (int i = 1; i < vocabulary.size(); i++) {
            assertTrue(vocabulary.get(i - 1).codePointAt(0) < vocabulary.get(i).codePointAt(0),
                    "sorted and distinct at " + i);
        }
        assertEquals("\n", corpus.characterAt(0));
        assertEquals(" ", corpus.characterAt(1));
        assertEquals(-1, corpus.indexOf('\u00e9'));
    }

    @Test
    void encodingRoundTrips() {
        TextCorpus corpus = TextCorpus.of("hello world", "test");

        assertEquals(List.of(" ", "d", "e", "h", "l", "o", "r", "w"), corpus.vocabulary());
        assertArrayEquals(new int[] {3, 2, 4, 4, 5, 0, 7, 5, 6, 4, 1}, corpus.encoded());
        assertEquals(4, corpus.indexOf('l'));
        assertEquals("w", corpus.characterAt(7));
        assertArrayEquals(new int[] {1, 5, 7}, corpus.encode("dow"));
        assertEquals("hello world", corpus.decode(corpus.encoded()));
        TextCorpus bundled = TextCorpus.bundled();
        assertEquals(bundled.text(), bundled.decode(bundled.encoded()));
    }

    @Test
    void unknownCharactersAreNamed() {
        TextCorpus corpus = TextCorpus.of("abc", "test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> corpus.encode("abz"));
        assertEquals("character 'z' (U+007A) at position 2 is not in the vocabulary of test", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> corpus.characterAt(3));
    }

    @Test
    void lowerCaseShrinksTheVocabulary() {
        TextCorpus corpus = TextCorpus.bundled();
        TextCorpus lower = corpus.lowerCase();
        assertEquals(corpus.length(), lower.length());
        assertTrue(lower.vocabularySize() < corpus.vocabularySize());
        assertEquals(-1, lower.indexOf('P'));
    }

    @Test
    void readsAUtf8FileDroppingBomAndCarriageReturns() throws IOException {
        Path file = dir.resolve("t.txt");
        Files.write(file, "\uFEFFna\u00efve\r\ncaf\u00e9\r\n".getBytes(StandardCharsets.UTF_8));

        TextCorpus corpus = TextCorpus.fromFile(file);

        assertEquals("na\u00efve\ncaf\u00e9\n", corpus.text());
        assertEquals(List.of("\n", "a", "c", "e", "f", "n", "v", "\u00e9", "\u00ef"), corpus.vocabulary());
        assertEquals(file.toString(), corpus.source());
    }

    @Test
    void badFilesAreExplained() throws IOException {
        Path missing = dir.resolve("missing.txt");
        assertEquals("missing text file " + missing + ": check the path",
                assertThrows(DatasetException.class, () -> TextCorpus.fromFile(missing)).getMessage());

        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        assertTrue(assertThrows(DatasetException.class, () -> TextCorpus.fromFile(latin1)).getMessage()
                .startsWith(latin1 + " is not UTF-8 text"));

        Path folder = Files.createDirectory(dir.resolve("texts"));
        assertEquals(folder + " is a folder, not a text file: name a UTF-8 text file in it",
                assertThrows(DatasetException.class, () -> TextCorpus.fromFile(folder)).getMessage());

        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertEquals(empty + " is empty; a text corpus needs some text.",
                assertThrows(DatasetException.class, () -> TextCorpus.fromFile(empty)).getMessage());
    }

    /** U+1F600 and U+1F389, each two Java chars (a surrogate pair). */
    private static final String GRIN = "\uD83D\uDE00";
    private static final String PARTY = "\uD83C\uDF89";

    @Test
    void anEmojiIsOneCharacterNotTwoHalves() {
        TextCorpus corpus = TextCorpus.of("ab" + GRIN + "c" + GRIN + "\n" + PARTY, "emoji");

        assertEquals(7, corpus.length(), "code points, not UTF-16 units");
        assertEquals(6, corpus.vocabularySize());
        assertEquals(List.of("\n", "a", "b", "c", PARTY, GRIN), corpus.vocabulary());
        assertEquals(5, corpus.indexOf(0x1F600));
        assertEquals(GRIN, corpus.characterAt(5));
        assertArrayEquals(new int[] {1, 2, 5, 3, 5, 0, 4}, corpus.encoded());
        assertArrayEquals(new int[] {5, 4}, corpus.encode(GRIN + PARTY));
        assertEquals(corpus.text(), corpus.decode(corpus.encoded()));
    }

    @Test
    void theVocabularyIsSortedByCodePointAsPythonSortsIt() {
        // U+FF01 (a full-width '!') sorts before U+1F600, although its char is above the surrogates
        TextCorpus corpus = TextCorpus.of(GRIN + "\uFF01a", "mixed");
        assertEquals(List.of("a", "\uFF01", GRIN), corpus.vocabulary());
    }

    @Test
    void windowsOfAnEmojiTextHoldWholeCharacters() {
        TextCorpus corpus = TextCorpus.of((GRIN + "ab" + PARTY).repeat(5), "emoji");
        SequenceBatches windows = corpus.sequences(3, 1, 4, 0, 0);
        assertEquals(20 - 3, windows.size(), "twenty characters give seventeen windows of three");
    }

    @Test
    void aGreekTextReadFromAFileKeepsItsLetters() throws IOException {
        // "menin aeide", the Iliad's first words
        Path file = Files.writeString(dir.resolve("greek.txt"),
                "\u03bc\u1fc6\u03bd\u03b9\u03bd \u1f04\u03b5\u03b9\u03b4\u03b5", StandardCharsets.UTF_8);
        TextCorpus corpus = TextCorpus.fromFile(file);
        assertEquals(11, corpus.length());
        assertEquals(List.of("\u0399"), corpus.missingCharacters("\u0399\u03bd"));
        assertEquals("\u03bc\u1fc6\u03bd\u03b9\u03bd", corpus.firstWord(20));
    }

    @Test
    void missingCharactersAreEachNamedOnceInOrder() {
        TextCorpus corpus = TextCorpus.of("it was a dark night", "lower");
        assertEquals(List.of("I"), corpus.missingCharacters("It was"));
        assertEquals(List.of("T", GRIN, "!"), corpus.missingCharacters("TT" + GRIN + "a" + GRIN + "!"));
        assertEquals(List.of(), corpus.missingCharacters("it was"));
        assertEquals(List.of(), corpus.missingCharacters(""));
    }

    @Test
    void theFirstWordSkipsLeadingSpaceAndStopsAtTheLimit() {
        assertEquals("once", TextCorpus.of("\n\n  once upon a time", "t").firstWord(20));
        assertEquals(GRIN + "hi", TextCorpus.of(GRIN + "hi there", "t").firstWord(20));
        assertEquals("\u6674\u308c", TextCorpus.of("\u6674\u308c\u306e\u65e5", "no spaces").firstWord(2));
        assertEquals(GRIN, TextCorpus.of(GRIN + GRIN + GRIN, "t").firstWord(1), "a whole code point");
        assertEquals("\n", TextCorpus.of("\n \n", "white space only").firstWord(20));
        assertThrows(IllegalArgumentException.class, () -> TextCorpus.of("abc", "t").firstWord(0));
    }

    @Test
    void anUnknownEmojiIsNamedByItsCodePoint() {
        TextCorpus corpus = TextCorpus.of("a" + GRIN, "test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> corpus.encode(GRIN + "a" + PARTY));
        assertEquals("character '" + PARTY + "' (U+1F389) at position 2 is not in the vocabulary of test",
                e.getMessage());
    }
}
