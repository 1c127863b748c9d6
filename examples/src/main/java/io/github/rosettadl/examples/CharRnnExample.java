package io.github.rosettadl.examples;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.predict.TextGenerator;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.ConsoleProgressBar;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.text.SequenceBatches;
import io.github.rosettadl.datasets.text.TextCorpus;
import io.github.rosettadl.examples.cli.RosettaCli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The Keras character-level language model seed: learn to predict the next character, then write
 * text by sampling one character at a time.
 *
 * <pre>{@code
 * text = open('input.txt').read()
 * chars = sorted(set(text))
 * char_to_idx = {c: i for i, c in enumerate(chars)}
 * seq_length, step = 40, 3
 * X = [[char_to_idx[c] for c in text[i:i + seq_length]] for i in range(0, len(text) - seq_length, step)]
 * y = [char_to_idx[text[i + seq_length]] for i in range(0, len(text) - seq_length, step)]
 * model = tf.keras.Sequential([
 *     tf.keras.layers.Embedding(len(chars), embedding_dim),
 *     tf.keras.layers.SimpleRNN(64),
 *     tf.keras.layers.Dense(len(chars), activation='softmax')
 * ])
 * model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
 * model.fit(np.array(X), np.array(y), epochs=10, batch_size=32)
 * print(generate_text(model, 'It was', 400, temperature=0.5))
 * }</pre>
 *
 * <p>Deliberate differences: the text is Jane Austen's <i>Persuasion</i> (bundled, public domain)
 * unless {@code --text} names another file; the seed leaves {@code embedding_dim} open, and
 * {@link CharRnn.Spec} uses 32; the model is saved before sampling, because
 * {@link TextGenerator} reads the vocabulary from the checkpoint; logits out, softmax in the loss;
 * a text without the characters of the seed's prompt "It was" (a lower-case or a Greek text, say)
 * is sampled from its own first word instead, chosen before training so that no training is lost.
 * Characters are Unicode code points, as in Python, so emoji are single characters.
 */
public final class CharRnnExample {

    /** Characters per training window, as in Keras's text-generation example. */
    public static final int SEQ_LENGTH = 40;
    /** Characters between window starts. */
    public static final int STEP = 3;
    /** The seed's prompt for the sample. */
    public static final String PROMPT = "It was";
    /** The most characters of a text's first word that replace {@link #PROMPT}. */
    private static final int OWN_PROMPT_LENGTH = 20;

    private CharRnnExample() {}

    /**
     * What a char-rnn run produced.
     *
     * @param history the per-epoch training loss
     * @param prompt the start of the sample, {@link #PROMPT} or the text's first word
     * @param sample text generated after training, the prompt and 400 characters
     * @param checkpoint the saved model, for {@code generate}
     */
    public record Result(History history, String prompt, String sample, Path checkpoint) {}

    /**
     * Trains on the bundled text; flags as for {@code train char-rnn}.
     *
     * @param args extra flags, for example {@code --epochs 1 --limit 5000 --text book.txt}
     */
    public static void main(String[] args) {
        RosettaCli.main(RosettaCli.withPrefix(args, "train", "char-rnn"));
    }

    /**
     * Checks that a text can train the model, so that a caller can refuse it before it creates
     * anything: at least one window of {@link #SEQ_LENGTH} characters and the one after it, and at
     * least two distinct characters to choose between.
     *
     * @param text the corpus
     * @throws IllegalArgumentException naming the text's source and what it lacks
     */
    public static void requireTrainable(TextCorpus text) {
        text.sequences(SEQ_LENGTH, STEP, 1, 0, 0); // refuses a text shorter than one window and its label
        if (text.vocabularySize() < 2) {
            throw new IllegalArgumentException(text.source() + " has only one distinct character, '"
                    + text.characterAt(0) + "'; a character model needs at least two to choose between.");
        }
    }

    /**
     * The prompt the sample starts with: the seed's {@link #PROMPT} when the text has all its
     * characters, else the text's first word (at most 20 characters), which the model knows.
     *
     * @param text the corpus
     * @return the prompt, only characters of the text
     */
    public static String samplePrompt(TextCorpus text) {
        return text.missingCharacters(PROMPT).isEmpty() ? PROMPT : text.firstWord(OWN_PROMPT_LENGTH);
    }

    /**
     * Trains the character model, saves it, and samples a continuation of {@link #samplePrompt}.
     * Everything about the text is checked before training starts.
     *
     * @param text the corpus
     * @param options quick-run limits ({@code limit} counts training windows)
     * @param runtime the started engine
     * @param checkpoint where to save the model
     * @param out where the epoch lines and the sample go
     * @return the history, the prompt, the sample and the checkpoint
     * @throws IllegalArgumentException when the text cannot train the model ({@link #requireTrainable})
     */
    public static Result run(TextCorpus text, ExampleOptions options, TorchRuntime runtime, Path checkpoint,
            PrintStream out) {
        // chars = sorted(set(text)); X, y = windows of seq_length and the character after each
        requireTrainable(text);
        SequenceBatches xy = text.sequences(SEQ_LENGTH, STEP, 32, 42, options.limit());
        String prompt = samplePrompt(text);
        if (!prompt.equals(PROMPT)) {
            out.println("The text has no '" + String.join("', '", text.missingCharacters(PROMPT))
                    + "' for the seed's prompt \"" + PROMPT + "\"; the sample starts with its first word, \""
                    + prompt + "\".");
        }
        // model = Sequential([Embedding(len(chars), embedding_dim), SimpleRNN(64), Dense(len(chars), 'softmax')])
        CharRnn.Spec model = new CharRnn.Spec(text.vocabularySize(), SEQ_LENGTH);
        // model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
        TrainingConfig compile = options.apply(TrainingConfig.adam(0.001f).withEpochs(10).withBatchSize(32)
                .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON));
        History history;
        try (TrainingSession session = TrainingSession.start(model, compile, runtime.device())) {
            session.setProgress(new ConsoleProgressBar(out, false));
            // one class name per code point: an emoji stays one character in the saved vocabulary
            DataDescription data = new DataDescription("text: " + text.source(), text.vocabulary(), null);
            // model.fit(np.array(X), np.array(y), epochs=10, batch_size=32), saving after every epoch
            history = session.fit(xy::epoch, null, epoch -> Checkpoint.save(checkpoint, session, data));
        }
        // print(generate_text(model, 'It was', 400, temperature=0.5))
        try (TextGenerator generator = TextGenerator.load(checkpoint, runtime.device())) {
            String sample = generator.generate(prompt, 400, 0.5f, 42);
            out.println(sample);
            return new Result(history, prompt, sample, checkpoint);
        }
    }
}
