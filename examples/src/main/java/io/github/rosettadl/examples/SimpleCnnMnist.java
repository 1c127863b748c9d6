package io.github.rosettadl.examples;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.ImageDatasets;
import io.github.rosettadl.examples.cli.RosettaCli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The PyTorch SimpleCNN seed on MNIST, statement by statement.
 *
 * <pre>{@code
 * transform = transforms.ToTensor()
 * train_dataset = datasets.MNIST(root='./data', train=True, download=True, transform=transform)
 * test_dataset = datasets.MNIST(root='./data', train=False, transform=transform)
 * train_loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
 * test_loader = DataLoader(test_dataset, batch_size=64, shuffle=False)
 *
 * model = SimpleCNN()
 * criterion = nn.CrossEntropyLoss()
 * optimizer = optim.Adam(model.parameters(), lr=0.001)
 *
 * for epoch in range(10):
 *     for images, labels in train_loader:
 *         optimizer.zero_grad()
 *         outputs = model(images)
 *         loss = criterion(outputs, labels)
 *         loss.backward()
 *         optimizer.step()
 *     print(f'Epoch {epoch+1}, Loss: {loss.item():.4f}')
 *
 * correct = 0; total = 0
 * with torch.no_grad():
 *     for images, labels in test_loader:
 *         outputs = model(images)
 *         _, predicted = torch.max(outputs.data, 1)
 *         total += labels.size(0)
 *         correct += (predicted == labels).sum().item()
 * print(f'Accuracy: {100 * correct / total:.2f}%')
 * }</pre>
 *
 * <p>Deliberate differences: {@code fc1} takes {@code 32*14*14} features, fixing the seed's
 * {@code 32*26*26} / {@code 32*13*13} shape bug (see {@link SimpleCNN}); the epoch line prints the
 * epoch's mean loss and the test accuracy rather than the last batch's loss.
 */
public final class SimpleCnnMnist {

    private SimpleCnnMnist() {}

    /**
     * Runs the seed; flags as for {@code train simple-cnn --dataset mnist}.
     *
     * @param args extra flags, for example {@code --epochs 1 --limit 2000}
     */
    public static void main(String[] args) {
        RosettaCli.main(RosettaCli.withPrefix(args, "train", "simple-cnn", "--dataset", "mnist"));
    }

    /**
     * Trains and tests the seed's SimpleCNN on MNIST.
     *
     * @param options data location and quick-run limits
     * @param runtime the started engine
     * @param out where the epoch lines and the accuracy go
     * @return the history and the test evaluation
     */
    public static ExampleResult run(ExampleOptions options, TorchRuntime runtime, PrintStream out) {
        // transform = transforms.ToTensor(): pixels / 255
        // train_dataset = datasets.MNIST(...); test_dataset = datasets.MNIST(..., train=False)
        ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, options.data());
        // train_loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
        ImageBatches trainLoader = options.apply(mnist.train()).batches(64, true, 42, Normalization.DIVIDE_255);
        ImageBatches testLoader = options.apply(mnist.test()).batches(64, false, 42, Normalization.DIVIDE_255);

        // model = SimpleCNN()
        SimpleCNN.Spec model = new SimpleCNN.Spec(new ImageShape(1, 28, 28), 10);
        // criterion = nn.CrossEntropyLoss(); optimizer = optim.Adam(model.parameters(), lr=0.001)
        TrainingConfig optimizer = options.apply(TrainingConfig.adam(0.001f).withEpochs(10).withBatchSize(64));

        // for epoch in range(10): for images, labels in train_loader: zero_grad, forward, loss, backward, step
        // then, with torch.no_grad(): correct / total over test_loader
        ExampleResult result = ExampleResult.fitAndEvaluate(model, optimizer, trainLoader::epoch, testLoader::epoch,
                runtime, out);
        out.printf(Locale.ROOT, "Accuracy: %.2f%%%n", 100 * result.testAccuracy());
        return result;
    }
}
