package io.github.rosettadl.datasets;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The image data sets this module loads, each with the name the command line uses. */
public enum ImageDatasetId {

    /** Handwritten digits, 28x28 grey, 60,000 train and 10,000 test images. */
    MNIST("mnist", "MNIST"),
    /** Zalando's clothing images, 28x28 grey, in MNIST's format and sizes. */
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST"),
    /** Tiny colour photos in ten classes, 32x32 RGB, 50,000 train and 10,000 test images. */
    CIFAR10("cifar10", "CIFAR-10");

    private final String cliName;
    private final String displayName;

    ImageDatasetId(String cliName, String displayName) {
        this.cliName = cliName;
        this.displayName = displayName;
    }

    /**
     * The name used on the command line and in folder names.
     *
     * @return for example {@code fashion-mnist}
     */
    public String cliName() {
        return cliName;
    }

    /**
     * The name as its authors write it, for messages.
     *
     * @return for example {@code Fashion-MNIST}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Looks a data set up by its command-line name, ignoring case.
     *
     * @param name for example {@code mnist}
     * @return the data set
     * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
     */
    public static ImageDatasetId fromName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ImageDatasetId id : values()) {
            if (id.cliName.equals(wanted)) {
                return id;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + name + "'; choose one of: " + choices());
    }

    /**
     * The valid command-line names, comma separated.
     *
     * @return {@code mnist, fashion-mnist, cifar10}
     */
    public static String choices() {
        return Arrays.stream(values()).map(ImageDatasetId::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
