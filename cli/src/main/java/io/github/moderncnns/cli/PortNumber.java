package io.github.moderncnns.cli;

import picocli.CommandLine;

/** A TCP port, 0-65535 (0: any free port, printed once bound): anything else is a usage error. */
final class PortNumber implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a port number, found '" + value + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new CommandLine.TypeConversionException("a port is between 0 (any free port) and 65535, found "
                    + port);
        }
        return port;
    }
}
