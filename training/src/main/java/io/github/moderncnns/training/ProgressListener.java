package io.github.moderncnns.training;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Shows training progress: on a terminal, a progress bar per epoch with images/s and the time left; otherwise
 * (logs, CI) a plain line every {@code plainInterval} seconds with the same numbers.
 */
public final class ProgressListener extends BaseTrainingListener {
    private final int batchesPerEpoch;
    private final int batchSize;
    private final boolean terminal;
    private final PrintStream out;
    private final double plainInterval;
    private ProgressBar bar;
    private int epoch;
    private int batch;
    /** The minibatches of the next epoch done before a resume; then those of the current one. */
    private int resumedBatch;
    private int firstBatch;
    private long epochStart;
    private long lastLine;

    /**
     * @param batchesPerEpoch minibatches in an epoch
     * @param batchSize images per minibatch
     * @param terminal whether to draw a progress bar (true when {@code System.console() != null})
     * @param out where plain lines go
     * @param plainInterval seconds between plain lines
     */
    public ProgressListener(int batchesPerEpoch, int batchSize, boolean terminal, PrintStream out,
            double plainInterval) {
        this.batchesPerEpoch = batchesPerEpoch;
        this.batchSize = batchSize;
        this.terminal = terminal;
        this.out = out;
        this.plainInterval = plainInterval;
    }

    /**
     * A listener that draws a bar when attached to a terminal and prints a line every 30 s otherwise.
     *
     * @param batchesPerEpoch minibatches in an epoch
     * @param batchSize images per minibatch
     * @return the listener
     */
    public static ProgressListener forConsole(int batchesPerEpoch, int batchSize) {
        return new ProgressListener(batchesPerEpoch, batchSize, System.console() != null, System.out, 30);
    }

    /**
     * For a resumed run: the next epoch is shown as {@code epochsDone + 1}, not 1.
     *
     * @param epochsDone epochs trained before this listener was attached
     * @return this listener
     */
    public ProgressListener startingAfter(int epochsDone) {
        return startingAfter(epochsDone, 0);
    }

    /**
     * For a run resumed in the middle of an epoch: the next epoch is shown as {@code epochsDone + 1}, starting
     * after minibatch {@code batchesDone}, and its speed and time left count only the minibatches trained now.
     *
     * @param epochsDone epochs trained before this listener was attached
     * @param batchesDone minibatches of the next epoch trained before
     * @return this listener
     */
    public synchronized ProgressListener startingAfter(int epochsDone, int batchesDone) {
        this.epoch = epochsDone;
        this.resumedBatch = batchesDone;
        return this;
    }

    @Override
    public synchronized void onEpochStart(Model model) {
        epoch++;
        batch = resumedBatch;
        firstBatch = resumedBatch;
        resumedBatch = 0;
        epochStart = System.nanoTime();
        lastLine = epochStart;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName("Epoch " + epoch).setInitialMax(batchesPerEpoch)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1).showSpeed()
                    .startsFrom(firstBatch, java.time.Duration.ZERO).build();
        }
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int dl4jEpoch) {
        batch++;
        if (bar != null) {
            bar.stepTo(batch);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f", model.score()));
            return;
        }
        long now = System.nanoTime();
        if ((now - lastLine) / 1e9 >= plainInterval) {
            lastLine = now;
            double seconds = (now - epochStart) / 1e9;
            double rate = (batch - firstBatch) * batchSize / seconds;
            double left = (batchesPerEpoch - batch) * batchSize / rate;
            out.printf(Locale.ROOT, "Epoch %d: batch %d/%d, loss %.3f, %,.0f images/s, %.0f s left in the epoch%n",
                    epoch, batch, batchesPerEpoch, model.score(), rate, left);
        }
    }

    @Override
    public synchronized void onEpochEnd(Model model) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
