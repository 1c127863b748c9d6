/**
 * Models that move between Java and PyTorch: trained weights written as NumPy {@code .npz} under
 * the {@code state_dict} names of the PyTorch twins in {@code pytorch/image_twins.py}, and weights
 * trained in PyTorch read back into a Java model or checkpoint.
 */
package io.github.rosettadl.core.interop;
