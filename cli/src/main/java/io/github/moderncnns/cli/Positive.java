package io.github.moderncnns.cli;

import picocli.CommandLine;

/** A whole number of at least 1 ({@code --epochs}, {@code --batch-size}, ...): anything else is a usage error. */
final class Positive implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int number;
        try {
            number = Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a whole number, found '" + value + "'");
        }
        if (number < 1) {
            throw new CommandLine.TypeConversionException("must be at least 1, found " + number);
        }
        return number;
    }
}
