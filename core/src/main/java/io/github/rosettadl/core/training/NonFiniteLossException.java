package io.github.rosettadl.core.training;

/** The training loss became NaN or infinite; the run stopped before the bad step changed the weights. */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long step;

    NonFiniteLossException(int epoch, long step, float loss, float learningRate) {
        super("The training loss became " + loss + " at epoch " + epoch + ", step " + step
                + "; training stopped. Lower the learning rate (now " + learningRate
                + ") or check the input for NaN or infinite values.");
        this.epoch = epoch;
        this.step = step;
    }

    /**
     * The epoch in which the loss went bad.
     *
     * @return the 1-based epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The step within the epoch at which the loss went bad.
     *
     * @return the 1-based step
     */
    public long step() {
        return step;
    }
}
