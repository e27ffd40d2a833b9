package io.github.moderncnns.cli;

import picocli.CommandLine;

/** A finite number above 0 ({@code --lr}): NaN, infinity, 0 and negatives are usage errors. */
final class PositiveNumber implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a number, found '" + value + "'");
        }
        if (!(number > 0) || Double.isInfinite(number)) {
            throw new CommandLine.TypeConversionException("must be a finite number above 0, found " + value);
        }
        return number;
    }
}
