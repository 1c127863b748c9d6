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
import java.util.List;

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
 * {@link TextGenerator} reads the vocabulary from the checkpoint; logits out, softmax in the loss.
 */
public final class CharRnnExample {

    /** Characters per training window, as in Keras's text-generation example. */
    public static final int SEQ_LENGTH = 40;
    /** Characters between window starts. */
    public static final int STEP = 3;

    private CharRnnExample() {}

    /**
     * What a char-rnn run produced.
     *
     * @param history the per-epoch training loss
     * @param sample text generated after training
     * @param checkpoint the saved model, for {@code generate}
     */
    public record Result(History history, String sample, Path checkpoint) {}

    /**
     * Trains on the bundled text; flags as for {@code train char-rnn}.
     *
     * @param args extra flags, for example {@code --epochs 1 --limit 5000 --text book.txt}
     */
    public static void main(String[] args) {
        RosettaCli.main(RosettaCli.withPrefix(args, "train", "char-rnn"));
    }

    /**
     * Trains the character model, saves it, and samples a continuation of "It was".
     *
     * @param text the corpus
     * @param options quick-run limits ({@code limit} counts training windows)
     * @param runtime the started engine
     * @param checkpoint where to save the model
     * @param out where the epoch lines and the sample go
     * @return the history, the sample and the checkpoint
     */
    public static Result run(TextCorpus text, ExampleOptions options, TorchRuntime runtime, Path checkpoint,
            PrintStream out) {
        // chars = sorted(set(text)); X, y = windows of seq_length and the character after each
        SequenceBatches xy = text.sequences(SEQ_LENGTH, STEP, 32, 42, options.limit());
        // model = Sequential([Embedding(len(chars), embedding_dim), SimpleRNN(64), Dense(len(chars), 'softmax')])
        CharRnn.Spec model = new CharRnn.Spec(text.vocabularySize(), SEQ_LENGTH);
        // model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
        TrainingConfig compile = options.apply(TrainingConfig.adam(0.001f).withEpochs(10).withBatchSize(32)
                .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON));
        History history;
        try (TrainingSession session = TrainingSession.start(model, compile, runtime.device())) {
            session.setProgress(new ConsoleProgressBar(out, false));
            // model.fit(np.array(X), np.array(y), epochs=10, batch_size=32)
            history = session.fit(xy::epoch, null);
            List<String> vocabulary = text.vocabulary().stream().map(String::valueOf).toList();
            Checkpoint.save(checkpoint, session, new DataDescription("text: " + text.source(), vocabulary, null));
        }
        // print(generate_text(model, 'It was', 400, temperature=0.5))
        try (TextGenerator generator = TextGenerator.load(checkpoint, runtime.device())) {
            String sample = generator.generate("It was", 400, 0.5f, 42);
            out.println(sample);
            return new Result(history, sample, checkpoint);
        }
    }
}
