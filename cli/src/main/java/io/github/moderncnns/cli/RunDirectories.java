package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.NotebookModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Default run directories: {@code runs/<date>-<time>-<model>}, never one that exists. */
final class RunDirectories {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectories() {
    }

    static Path fresh(Path parent, String name) {
        String base = LocalDateTime.now().format(STAMP) + "-" + name;
        Path candidate = parent.resolve(base);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = parent.resolve(base + "-" + i);
        }
        return candidate;
    }

    static Path fresh(NotebookModel model) {
        return fresh(Path.of("runs"), model.id());
    }
}
