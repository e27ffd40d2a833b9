package io.github.moderncnns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Javadoc reads block tags only at the start of a line: {@code /** @param x the x @return this builder * /} on one
 * line makes "@return this builder" part of the parameter's text, and doclint does not notice. So every source of
 * every module is checked here, where the whole repository is at hand.
 */
class JavadocStyleTest {
    private static final Pattern TWO_TAGS_ON_ONE_LINE = Pattern.compile("/\\*\\*.*\\s@\\w+\\s.*\\s@(param|return|throws)\\s");

    @Test
    void everyBlockTagStartsALine() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("pom.xml")).as("run from the cli module").isRegularFile();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (TWO_TAGS_ON_ONE_LINE.matcher(lines.get(i)).find()) {
                        offenders.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("javadoc with a second block tag in the middle of a line; put each tag on its own "
                + "line").isEmpty();
    }
}
