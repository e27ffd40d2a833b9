package io.github.moderncnns.cli;

import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.Trainer;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --checkpoint-minutes} option of the commands that train: how much a killed run may lose. */
final class CheckpointOption {
    @Option(names = "--checkpoint-minutes", paramLabel = "M", converter = Minutes.class, description = "Write a "
            + "mid-epoch checkpoint every M minutes, so that a killed run loses at most that (default: "
            + "${DEFAULT-VALUE}; 0: only after each epoch). Takes effect on one device.")
    int minutes = (int) Trainer.DEFAULT_CHECKPOINT_INTERVAL.toMinutes();

    /**
     * @param options the run's options
     * @return them with this interval
     */
    NotebookTraining.Options apply(NotebookTraining.Options options) {
        return options.withCheckpointInterval(Duration.ofMinutes(minutes));
    }

    /** A whole number of minutes, 0 included. */
    static final class Minutes implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int number;
            try {
                number = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a whole number of minutes, found '" + value
                        + "'");
            }
            if (number < 0) {
                throw new CommandLine.TypeConversionException("must be 0 or more, found " + number);
            }
            return number;
        }
    }
}
