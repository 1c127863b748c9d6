# Makes the test subset: the first records of the published MNIST and CIFAR-10 files (see README.md).
# python3 make_subset.py FULL_DATA_DIR OUT_DIR MNIST_TRAIN MNIST_TEST CIFAR_PER_TRAIN_BATCH CIFAR_TEST
import gzip, os, sys, hashlib
src, dst, ntrain, ntest, ncifar_train, ncifar_test = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
def idx_cut(name, n):
    raw = gzip.decompress(open(f"{src}/mnist/{name}.gz", "rb").read())
    magic = raw[:4]; ndim = raw[3]
    header = 4 + 4 * ndim
    dims = [int.from_bytes(raw[4+4*i:8+4*i], "big") for i in range(ndim)]
    per = 1
    for d in dims[1:]: per *= d
    out = magic + n.to_bytes(4, "big") + raw[8:header] + raw[header:header + n * per]
    os.makedirs(f"{dst}/mnist", exist_ok=True)
    gz = gzip.compress(out, 9, mtime=0)
    open(f"{dst}/mnist/{name}.gz", "wb").write(gz)
    print(name, hashlib.md5(gz).hexdigest(), hashlib.md5(out).hexdigest(), len(gz))
for name, n in [("train-images-idx3-ubyte", ntrain), ("train-labels-idx1-ubyte", ntrain),
                ("t10k-images-idx3-ubyte", ntest), ("t10k-labels-idx1-ubyte", ntest)]:
    idx_cut(name, n)
os.makedirs(f"{dst}/cifar-10-batches-bin", exist_ok=True)
for name, n in [(f"data_batch_{i}.bin", ncifar_train) for i in range(1, 6)] + [("test_batch.bin", ncifar_test)]:
    data = open(f"{src}/cifar-10-batches-bin/{name}", "rb").read()[:n * 3073]
    open(f"{dst}/cifar-10-batches-bin/{name}", "wb").write(data)
    print(name, hashlib.md5(data).hexdigest(), len(data))
open(f"{dst}/cifar-10-batches-bin/batches.meta.txt", "wb").write(open(f"{src}/cifar-10-batches-bin/batches.meta.txt", "rb").read())
