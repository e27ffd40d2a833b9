package io.github.moderncnns.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.WeakHashMap;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's own output writer ({@code spec.commandLine().getOut()}, standard output unless a test or an embedding
 * program sets another) as the {@link PrintStream} the library APIs print their lines to. One stream per writer, so
 * that a command's lines stay in order whichever method prints them.
 */
final class CommandOutput {
    private static final Map<PrintWriter, PrintStream> STREAMS = new WeakHashMap<>();

    private CommandOutput() {
    }

    /**
     * @param spec the command
     * @return its output as a stream that passes every complete character on at once
     */
    static synchronized PrintStream of(CommandSpec spec) {
        return STREAMS.computeIfAbsent(spec.commandLine().getOut(),
                writer -> new PrintStream(new WriterStream(writer), true, StandardCharsets.UTF_8));
    }

    /** UTF-8 bytes to a writer; a character split between two writes waits for its last byte. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            pass();
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            pending.write(bytes, offset, length);
            pass();
        }

        @Override
        public synchronized void flush() {
            writer.flush();
        }

        private void pass() {
            byte[] bytes = pending.toByteArray();
            int complete = bytes.length;
            // back off over an incomplete multi-byte sequence at the end (at most 3 bytes of a 4-byte character)
            for (int i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
                int b = bytes[i] & 0xff;
                if (b < 0x80) {
                    break;
                }
                if (b >= 0xc0) { // a lead byte: is its sequence complete?
                    int needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                    if (bytes.length - i < needed) {
                        complete = i;
                    }
                    break;
                }
            }
            writer.write(new String(bytes, 0, complete, StandardCharsets.UTF_8));
            writer.flush();
            pending.reset();
            pending.write(bytes, complete, bytes.length - complete);
        }
    }
}
