/**
 * Step 3, reading a format: the IDX files of MNIST and Fashion-MNIST.
 */
package io.github.rosettadl.datasets.idx;
