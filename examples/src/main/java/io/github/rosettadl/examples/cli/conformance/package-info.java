/**
 * The Java half of the conformance suite: every model and preset run through the project's own
 * training code on one batch, written as {@code .npz} for {@code pytorch/conformance.py}, which
 * recomputes the same with the PyTorch twins and compares.
 */
package io.github.rosettadl.examples.cli.conformance;
