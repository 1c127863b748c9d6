package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.files.PublishedFile;

import java.net.URI;
import java.util.List;

/**
 * The published files, checksums and mirrors of each data set. The md5s of the files are the ones
 * their publishers and torchvision give; the content md5s (of the bytes inside each {@code .gz})
 * were computed from copies that match those published md5s.
 *
 * <p>Each file also accepts one cut-down copy: the project's bundled test subset (the first 2,000
 * training and 500 test images of MNIST; the first 70 records of each CIFAR-10 training batch and
 * 100 of the test batch), so the project's tests and a fresh clone run on real data through the
 * same loader. Only those exact bytes match, as with the full files.
 */
final class PublishedDatasets {

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> CIFAR = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private PublishedDatasets() {
    }

    static ImageSource source(ImageDatasetId id) {
        switch (id) {
            case MNIST:
                return new IdxSource(id, DIGITS, 28, 28, List.of(
                        new PublishedFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                                "6bbc9ace898e44ae57da46a324031adb")
                                .withSubset("2e1ca22449166dc3ca1a1f2dcd2218a5", "294fd329ff7cac24b682d047b71117e9"),
                        new PublishedFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                                "a25bea736e30d166cdddb491f175f624")
                                .withSubset("e52f62c9e2184fb534ee1061646ca75a", "529b059f379972fba6ba13392ba4af56"),
                        new PublishedFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                                "2646ac647ad5339dbf082846283269ea")
                                .withSubset("ba1ed33b4a8d6969114690be302ab195", "1d2743c59faa92de1bed834a757f078a"),
                        new PublishedFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
                                "27ae3e4e09519cfbb04c329615203637")
                                .withSubset("93c1d59dcadab76fe2e00dc5daf65d1a", "0ea66c07df11e8b86569640c26429810")),
                        // the original site first, then the mirror torchvision uses when it refuses
                        List.of(URI.create("http://yann.lecun.com/exdb/mnist/"),
                                URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/")),
                        "MNIST");
            case FASHION_MNIST:
                return new IdxSource(id, FASHION, 28, 28, List.of(
                        new PublishedFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                                "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
                        new PublishedFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                                "9018921c3c673c538a1fc5bad174d6f9"),
                        new PublishedFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                                "8181f5470baa50b63fa0f6fddb340f0a"),
                        new PublishedFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310",
                                "15d484375f8d13e6eb1aabb0c3f46965")),
                        // Zalando's own hosts: their S3 bucket and their repository
                        List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                                URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
                        "FashionMNIST");
            case CIFAR10:
                return new CifarSource(id, CIFAR,
                        PublishedFile.plain("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"),
                        List.of(PublishedFile.plain("data_batch_1.bin", "5dd7e06a14cb22eb9f671a540d1b7c25")
                                        .withSubset("b2417e1fdaa1222e83f70d58f90e661b", "b2417e1fdaa1222e83f70d58f90e661b"),
                                PublishedFile.plain("data_batch_2.bin", "5ea93a67294ea407fff1d09f752e9692")
                                        .withSubset("8863cbaff6f389f8583fbfd233521511", "8863cbaff6f389f8583fbfd233521511"),
                                PublishedFile.plain("data_batch_3.bin", "942cd6a4bcdd0dd3c604fbe906cb4421")
                                        .withSubset("44ac1a40e053567834139cd35892fca1", "44ac1a40e053567834139cd35892fca1"),
                                PublishedFile.plain("data_batch_4.bin", "ae636b3ba5c66a11e91e8cb52e771fcb")
                                        .withSubset("71a678fa8e532bfd92500f9cd6aa6597", "71a678fa8e532bfd92500f9cd6aa6597"),
                                PublishedFile.plain("data_batch_5.bin", "53f37980c15c3d472c316c40844f3f0d")
                                        .withSubset("06bf27068b9c536622921197f0a1a8b1", "06bf27068b9c536622921197f0a1a8b1")),
                        PublishedFile.plain("test_batch.bin", "803d5f7f4d78ea53de84dbe85f74fb6d")
                                .withSubset("602a69095abb5be5788649af0ec78c55", "602a69095abb5be5788649af0ec78c55"),
                        List.of(URI.create("https://www.cs.toronto.edu/~kriz/")));
            default:
                throw new IllegalArgumentException("no published source for " + id);
        }
    }
}
