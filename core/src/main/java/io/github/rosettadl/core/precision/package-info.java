/**
 * Mixed-precision training: the number type of the forward and backward passes, and the dynamic
 * loss scaling that keeps float16 gradients from underflowing, as {@code torch.cuda.amp} does.
 */
package io.github.rosettadl.core.precision;
