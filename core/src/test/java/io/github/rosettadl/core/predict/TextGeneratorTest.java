package io.github.rosettadl.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.text.TextCorpus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Prompts, code points and the saved vocabulary of {@link TextGenerator}, on untrained models. */
class TextGeneratorTest {

    /** U+1F600 and U+1F389, each two Java chars (a surrogate pair). */
    private static final String GRIN = "\uD83D\uDE00";
    private static final String PARTY = "\uD83C\uDF89";

    @TempDir
    static Path dir;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    /** An untrained char-rnn whose class names are the given characters. */
    private static Path checkpoint(String name, List<String> vocabulary) {
        Path file = dir.resolve(name + ".ckpt");
        try (TrainingSession session = TrainingSession.start(new CharRnn.Spec(vocabulary.size(), 8),
                TrainingConfig.adam(1e-3f), Device.cpu())) {
            Checkpoint.save(file, session, new DataDescription("text: " + name, vocabulary, null));
        }
        return file;
    }

    @Test
    void emojiSurviveTheCheckpointAndTheSample() {
        List<String> vocabulary = List.of("\n", " ", "a", "b", PARTY, GRIN);
        try (TextGenerator generator = TextGenerator.load(checkpoint("emoji", vocabulary), Device.cpu())) {
            assertEquals(vocabulary, generator.vocabulary(), "the class names come back as saved, emoji whole");
            String text = generator.generate(GRIN + "a", 300, 1f, 3);
            assertEquals(2 + 300, text.codePointCount(0, text.length()));
            assertTrue(text.codePoints().allMatch(cp -> vocabulary.contains(Character.toString(cp))), text);
            assertTrue(text.substring(2).contains(GRIN) && text.contains(PARTY), "an untrained model writes both: "
                    + text);
            // a lone half of a pair would not survive UTF-8, as sample.txt is written
            assertEquals(text, new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aPromptWithUnknownCharactersNamesThemAndTheValidOnes() {
        Path file = checkpoint("lower", List.of("\n", " ", "a", "i", "s", "t", "w"));
        try (TextGenerator generator = TextGenerator.load(file, Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> generator.generate("It was" + GRIN + "!", 10, 0.5f, 1));
            assertEquals("The prompt \"It was" + GRIN + "!\" has 3 characters that the model in " + file
                    + " never saw: 'I' (U+0049), '" + GRIN + "' (U+1F600), '!' (U+0021). It knows these 7"
                    + " characters: \"\\n aistw\". Write the prompt with them, for example a word of the text the"
                    + " model learned.", e.getMessage());
            assertEquals(List.of("I"), generator.unknownCharacters("It was it"));
            assertEquals(List.of(), generator.unknownCharacters("it was"));
            assertTrue(generator.generate("it was", 5, 0.5f, 1).startsWith("it was"));
        }
    }

    @Test
    void aPromptThatIsOneUnknownCharacterIsNamedInTheSingular() {
        try (TextGenerator generator = TextGenerator.load(checkpoint("ab", List.of("a", "b")), Device.cpu())) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> generator.generate("\t", 10, 0.5f, 1)).getMessage();
            assertTrue(message.contains("has 1 character that") && message.contains("'\\t' (U+0009)"), message);
        }
    }

    @Test
    void aLargeVocabularyIsListedInPart() {
        List<String> vocabulary = new ArrayList<>();
        for (int cp = 0x4E00; cp < 0x4E00 + 250; cp++) {
            vocabulary.add(Character.toString(cp));
        }
        try (TextGenerator generator = TextGenerator.load(checkpoint("cjk", vocabulary), Device.cpu())) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> generator.generate("x", 10, 0.5f, 1)).getMessage();
            String first200 = String.join("", vocabulary.subList(0, 200));
            assertTrue(message.contains("It knows these 250 characters: \"" + first200 + "\" and 50 more."), message);
        }
    }

    @Test
    void anEmptyPromptIsRefused() {
        try (TextGenerator generator = TextGenerator.load(checkpoint("ab2", List.of("a", "b")), Device.cpu())) {
            assertEquals("The prompt needs at least one character.", assertThrows(IllegalArgumentException.class,
                    () -> generator.generate("", 10, 0.5f, 1)).getMessage());
        }
    }

    @Test
    void theFirstLetterIsAPromptTheModelKnows() {
        try (TextGenerator letters = TextGenerator.load(checkpoint("greek", List.of("\n", " ", ",", "\u03b1",
                "\u03b2")), Device.cpu());
                TextGenerator symbols = TextGenerator.load(checkpoint("symbols", List.of("\n", " ", GRIN)),
                        Device.cpu());
                TextGenerator blank = TextGenerator.load(checkpoint("blank", List.of("\n", " ")), Device.cpu())) {
            assertEquals("\u03b1", letters.firstLetter());
            assertEquals(GRIN, symbols.firstLetter());
            assertEquals("\n", blank.firstLetter());
        }
    }

    /**
     * {@code char-rnn-format1.ckpt} was written by {@code train char-rnn --text char-rnn-format1.txt
     * --epochs 1 --limit 200} while the vocabulary was still made of Java {@code char}s: a text
     * without emoji must give the same vocabulary now, so such a checkpoint still works.
     */
    @Test
    void aCheckpointFromBeforeCodePointsStillLoadsWithTheSameVocabulary() throws Exception {
        Path old = Path.of(TextGeneratorTest.class.getResource("char-rnn-format1.ckpt").toURI());
        Path text = Path.of(TextGeneratorTest.class.getResource("char-rnn-format1.txt").toURI());
        TextCorpus corpus = TextCorpus.fromFile(text);
        try (TextGenerator generator = TextGenerator.load(old, Device.cpu())) {
            assertEquals(corpus.vocabulary(), generator.vocabulary());
            String sample = generator.generate("It was", 100, 0.5f, 42);
            assertEquals(6 + 100, sample.codePointCount(0, sample.length()), sample);
            assertEquals(List.of(), corpus.missingCharacters(sample), sample);
        }
    }
}
