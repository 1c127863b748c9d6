/**
 * Differentially private training: DP-SGD ({@link io.github.rosettadl.core.privacy.DpSgd}) with
 * per-example gradients from one backward pass
 * ({@link io.github.rosettadl.core.privacy.PerExampleGradients}), Poisson sampling
 * ({@link io.github.rosettadl.core.privacy.PoissonSampler}) and a Rényi DP accountant
 * ({@link io.github.rosettadl.core.privacy.RdpAccountant}).
 */
package io.github.rosettadl.core.privacy;
