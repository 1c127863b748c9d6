package io.github.rosettadl.core.privacy;

import org.apache.commons.math3.special.Erf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The privacy spent by DP-SGD: the Rényi differential privacy (RDP) of the sampled Gaussian mechanism,
 * composed over the steps and converted to (epsilon, delta).
 *
 * <p>Each step samples every example independently with probability {@code q} (Poisson sampling,
 * {@link PoissonSampler}) and adds Gaussian noise of standard deviation {@code sigma} times the
 * clipping norm to the sum of the clipped per-example gradients. The RDP of one such step at order
 * alpha is {@code log(A_alpha) / (alpha - 1)} (Mironov, Talwar and Zhang 2019, "Rényi Differential
 * Privacy of the Sampled Gaussian Mechanism", sections 3.3 and 3.4): a finite binomial sum for
 * integer orders and two series with erfc terms for fractional ones. RDP composes by addition over
 * steps (Mironov 2017, "Rényi Differential Privacy", proposition 1), and the epsilon for a given delta
 * is the smallest over the orders of one of the two {@link Conversion}s. This is the computation of
 * TF Privacy's {@code compute_rdp} and {@code get_privacy_spent} and of Opacus's
 * {@code RDPAccountant}:
 *
 * <pre>{@code
 * # TF Privacy
 * rdp = compute_rdp(q=256 / 60000, noise_multiplier=1.12, steps=60 * 234, orders=orders)
 * eps, order = get_privacy_spent(orders, rdp, target_delta=1e-5)[:2]
 * # Opacus
 * accountant = RDPAccountant(); accountant.history = [(1.12, 256 / 60000, 60 * 234)]
 * eps = accountant.get_epsilon(delta=1e-5)
 * }</pre>
 *
 * <pre>{@code
 * PrivacySpent spent = RdpAccountant.spent(256.0 / 60000, 1.12, 60 * 234, 1e-5,
 *         RdpAccountant.DEFAULT_ORDERS, RdpAccountant.Conversion.CLASSIC);   // epsilon 2.92
 * }</pre>
 */
public final class RdpAccountant {

    /**
     * Opacus's default orders ({@code DEFAULT_ALPHAS}: 1.1 to 10.9 by 0.1, then 12 to 63), which
     * are also TF Privacy's MNIST tutorial's, and TF Privacy's extra large orders 128, 256 and 512
     * for small epsilons.
     */
    public static final List<Double> DEFAULT_ORDERS = defaultOrders();

    /** Where the fractional-order series stop: a term below e^-30 of the largest no longer counts. */
    private static final double SERIES_CUTOFF = -30;

    private static final double LOG_HALF = Math.log(0.5);

    /** How an RDP curve becomes an (epsilon, delta) guarantee; the smallest epsilon over the orders is taken. */
    public enum Conversion {
        /**
         * Mironov 2017, proposition 3: {@code eps = rdp(alpha) + log(1 / delta) / (alpha - 1)}; what TF
         * Privacy's {@code get_privacy_spent} did until 2022, its tutorials print, and Opacus before 1.0.
         */
        CLASSIC,
        /**
         * Balle et al. 2020, "Hypothesis testing interpretations and Rényi differential privacy",
         * theorem 21: {@code eps = rdp(alpha) + log((alpha - 1) / alpha) - (log delta + log alpha) / (alpha - 1)};
         * tighter, what Opacus 1.x's {@code get_privacy_spent} and TF Privacy's {@code compute_eps} use.
         */
        IMPROVED
    }

    /**
     * An (epsilon, delta) guarantee and the order that gave it.
     *
     * @param epsilon the privacy loss bound
     * @param delta the probability that the bound fails
     * @param order the Rényi order at which epsilon is smallest
     */
    public record PrivacySpent(double epsilon, double delta, double order) {
    }

    private RdpAccountant() {
    }

    /**
     * The RDP of one step of the sampled Gaussian mechanism at one order.
     *
     * @param q the sampling rate, in [0, 1]
     * @param sigma the noise multiplier (noise standard deviation over the clipping norm), above 0
     * @param order the Rényi order alpha, above 1
     * @return the RDP epsilon at that order for one step
     * @throws IllegalArgumentException when an argument is out of range
     */
    public static double rdp(double q, double sigma, double order) {
        checkRate(q);
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("The noise multiplier must be a positive number, got " + sigma + ".");
        }
        if (!(order > 1)) {
            throw new IllegalArgumentException("A Rényi order must be above 1, got " + order + ".");
        }
        if (q == 0) {
            return 0;
        }
        if (q == 1) {
            return order / (2 * sigma * sigma); // the Gaussian mechanism without sampling
        }
        if (Double.isInfinite(order)) {
            return Double.POSITIVE_INFINITY;
        }
        double logA = order == Math.rint(order) ? logAInteger(q, sigma, (long) order) : logAFractional(q, sigma, order);
        return logA / (order - 1);
    }

    /**
     * The privacy spent after {@code steps} steps, the smallest epsilon over the orders.
     *
     * @param q the sampling rate
     * @param sigma the noise multiplier
     * @param steps the number of steps, 0 or more
     * @param delta the target delta, in (0, 1)
     * @param orders the Rényi orders to try
     * @param conversion how RDP becomes (epsilon, delta)
     * @return epsilon and the best order
     */
    public static PrivacySpent spent(double q, double sigma, long steps, double delta, List<Double> orders,
            Conversion conversion) {
        if (steps < 0) {
            throw new IllegalArgumentException("The number of steps cannot be negative, got " + steps + ".");
        }
        double[] rdp = new double[orders.size()];
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] = steps * rdp(q, sigma, orders.get(i));
        }
        return epsilon(orders, rdp, delta, conversion);
    }

    /**
     * Converts an RDP curve to (epsilon, delta): the smallest epsilon over the orders.
     *
     * @param orders the orders
     * @param rdp the RDP at each order (already composed over the steps)
     * @param delta the target delta, in (0, 1)
     * @param conversion the conversion
     * @return epsilon, never below 0, and its order
     */
    public static PrivacySpent epsilon(List<Double> orders, double[] rdp, double delta, Conversion conversion) {
        Objects.requireNonNull(conversion, "conversion");
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be between 0 and 1 (exclusive), got " + delta + ".");
        }
        if (orders.isEmpty() || orders.size() != rdp.length) {
            throw new IllegalArgumentException("Give one RDP value per order: " + orders.size() + " orders, "
                    + rdp.length + " values.");
        }
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = orders.get(0);
        for (int i = 0; i < rdp.length; i++) {
            double a = orders.get(i);
            double eps = switch (conversion) {
                case CLASSIC -> rdp[i] - Math.log(delta) / (a - 1);
                case IMPROVED -> rdp[i] + Math.log1p(-1 / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
            };
            if (eps < best) {
                best = eps;
                bestOrder = a;
            }
        }
        return new PrivacySpent(Math.max(0, best), delta, bestOrder);
    }

    /**
     * The smallest noise multiplier whose epsilon after {@code steps} steps is at most the target,
     * found by bisection as Opacus's {@code get_noise_multiplier} does, to a relative precision of 1e-4.
     *
     * @param targetEpsilon the epsilon to reach, above 0
     * @param delta the target delta
     * @param q the sampling rate
     * @param steps the number of steps, at least 1
     * @param conversion the conversion
     * @return sigma
     * @throws IllegalArgumentException when even sigma = 1000 spends more than the target
     */
    public static double noiseMultiplierFor(double targetEpsilon, double delta, double q, long steps,
            Conversion conversion) {
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("The target epsilon must be a positive number, got " + targetEpsilon
                    + ".");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("The number of steps must be at least 1, got " + steps + ".");
        }
        double high = 1;
        while (spent(q, high, steps, delta, DEFAULT_ORDERS, conversion).epsilon() > targetEpsilon) {
            high *= 2;
            if (high > 1000) {
                throw new IllegalArgumentException("No noise multiplier up to 1000 reaches epsilon " + targetEpsilon
                        + " at delta " + delta + " over " + steps + " steps at sampling rate " + q
                        + "; allow a larger epsilon or train fewer steps.");
            }
        }
        double low = 0;
        while (high - low > 1e-4 * high) {
            double mid = (low + high) / 2;
            if (spent(q, mid, steps, delta, DEFAULT_ORDERS, conversion).epsilon() > targetEpsilon) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /** log(A_alpha) for an integer order: a binomial sum (Mironov, Talwar and Zhang 2019, section 3.3). */
    private static double logAInteger(double q, double sigma, long alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double logBinomial = 0; // log C(alpha, 0)
        for (long i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinomial += Math.log((double) (alpha - i + 1) / i);
            }
            double term = logBinomial + i * logQ + (alpha - i) * log1mQ + (i * i - i) / (2 * sigma * sigma);
            logA = logAdd(logA, term);
        }
        return logA;
    }

    /**
     * log(A_alpha) for a fractional order: two convergent series with erfc factors, summed until the
     * terms fall below e^-30 (Mironov, Talwar and Zhang 2019, section 3.4).
     */
    private static double logAFractional(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double coefficient = 1; // the generalised binomial C(alpha, i), updated term by term
        for (long i = 0; ; i++) {
            if (i > 0) {
                coefficient *= (alpha - i + 1) / i;
            }
            double logCoefficient = Math.log(Math.abs(coefficient));
            double j = alpha - i;
            double logT0 = logCoefficient + i * logQ + j * log1mQ;
            double logT1 = logCoefficient + j * logQ + i * log1mQ;
            double logE0 = LOG_HALF + logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = LOG_HALF + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (coefficient > 0) {
                logA0 = logAdd(logA0, logS0);
                logA1 = logAdd(logA1, logS1);
            } else {
                logA0 = logSubtract(logA0, logS0);
                logA1 = logSubtract(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < SERIES_CUTOFF) {
                return logAdd(logA0, logA1);
            }
        }
    }

    /** log(erfc(x)), finite where erfc itself underflows (x above about 26). */
    static double logErfc(double x) {
        if (x < 20) {
            return Math.log(Erf.erfc(x));
        }
        // the asymptotic series erfc(x) = exp(-x^2) / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - ...)
        double inverseSquare = 1 / (x * x);
        return -x * x - Math.log(x) - 0.5 * Math.log(Math.PI)
                + Math.log1p(-0.5 * inverseSquare + 0.75 * inverseSquare * inverseSquare);
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** log(exp(a) - exp(b)) for a >= b. */
    private static double logSubtract(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a <= b) {
            return Double.NEGATIVE_INFINITY; // the series' partial sums never go below 0; rounding can touch it
        }
        return b + Math.log(Math.expm1(a - b));
    }

    private static void checkRate(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("The sampling rate must be between 0 and 1, got " + q + ".");
        }
    }

    private static List<Double> defaultOrders() {
        List<Double> orders = new ArrayList<>();
        for (int x = 1; x < 100; x++) {
            orders.add(1 + x / 10.0);
        }
        for (int a = 12; a < 64; a++) {
            orders.add((double) a);
        }
        orders.add(128.0);
        orders.add(256.0);
        orders.add(512.0);
        return List.copyOf(orders);
    }
}
