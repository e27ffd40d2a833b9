package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.NotebookModel;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** Parses {@code --model} ids (with the list of valid ones in errors and completion). */
final class ModelOption implements CommandLine.ITypeConverter<NotebookModel>, Iterable<String> {
    @Override
    public NotebookModel convert(String value) {
        try {
            return NotebookModel.byId(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(NotebookModel.values()).map(NotebookModel::id).iterator();
    }
}
