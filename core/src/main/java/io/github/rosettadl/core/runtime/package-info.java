/**
 * Starting the PyTorch engine: which devices ({@code auto}, {@code cpu}, {@code gpu[:N]}) and how many threads.
 */
package io.github.rosettadl.core.runtime;
