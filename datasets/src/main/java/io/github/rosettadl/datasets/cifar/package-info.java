/**
 * Step 3, reading a format: the binary batches of CIFAR-10.
 */
package io.github.rosettadl.datasets.cifar;
