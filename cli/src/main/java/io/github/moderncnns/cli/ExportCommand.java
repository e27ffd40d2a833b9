package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.TorchWeights;
import io.github.moderncnns.data.AtomicFiles;
import io.github.moderncnns.training.ModelFiles;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code export}: a trained model as the notebook's PyTorch {@code state_dict}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained model as the state_dict of the notebook's PyTorch model (.npz), which loads "
            + "with net.load_state_dict({k: torch.from_numpy(v) for k, v in numpy.load(FILE).items()})."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The export formats. */
    enum Format {
        /** numpy.savez's zip of .npy arrays, keyed as PyTorch's state_dict. */
        npz
    }

    @Mixin
    ModelFileOption model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The new file (never overwritten).")
    Path out;

    @Option(names = "--format", defaultValue = "npz", description = "The format: ${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "already exists; choose a new file name");
        }
        ModelFiles.SavedModel saved = model.load();
        NotebookModel network = saved.notebookModel().orElseThrow(() -> new ModernCnns.UserError(model.file
                + " is none of the notebook's networks (its parameters match no PyTorch model of the notebook): "
                + "export writes those networks' state_dicts only"));
        Architecture architecture = network.builder().optInputSize(saved.inputSize()).build();
        Map<String, INDArray> stateDict = TorchWeights.stateDict(saved.model(), architecture);
        AtomicFiles.write(out, stream -> TorchWeights.writeNpz(stateDict, stream));
        stdout.printf("Wrote %d tensors of %s (%s at %dx%d) to %s%n", stateDict.size(), architecture.name(),
                network.id(), saved.inputSize(), saved.inputSize(), out);
        stdout.println("In PyTorch: net.load_state_dict({k: torch.from_numpy(v) for k, v in numpy.load('" + out
                + "').items()})");
        return 0;
    }
}
