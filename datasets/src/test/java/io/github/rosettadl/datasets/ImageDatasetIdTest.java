package io.github.rosettadl.datasets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Command-line names of the data sets. */
class ImageDatasetIdTest {

    @Test
    void namesRoundTrip() {
        for (ImageDatasetId id : ImageDatasetId.values()) {
            assertEquals(id, ImageDatasetId.fromName(id.cliName()));
        }
        assertEquals(ImageDatasetId.FASHION_MNIST, ImageDatasetId.fromName(" Fashion-MNIST "));
        assertEquals("cifar10", ImageDatasetId.CIFAR10.toString());
        assertEquals("CIFAR-10", ImageDatasetId.CIFAR10.displayName());
    }

    @Test
    void unknownNameListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDatasetId.fromName("cifar100"));
        assertEquals("unknown data set 'cifar100'; choose one of: mnist, fashion-mnist, cifar10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageDatasetId.fromName(null));
    }
}
