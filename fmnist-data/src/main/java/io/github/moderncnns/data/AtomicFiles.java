package io.github.moderncnns.data;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the same directory,
 * which is flushed to disk and then renamed over the target. An interrupted write leaves the old file (or none),
 * never a truncated one. Used for every file this project writes.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces a file's content into a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out where to write the content
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target} atomically, creating parent directories as needed.
     *
     * @param target the file to (re)place
     * @param content the bytes
     * @throws IOException if the directory cannot be created or the file cannot be written; the target is then
     *                     unchanged
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /**
     * Writes what {@code writer} produces to {@code target} atomically, creating parent directories as needed.
     *
     * @param target the file to (re)place
     * @param writer produces the content
     * @throws IOException if anything fails; the target is then unchanged and no temporary file is left
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = createTemporary(directory, target);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                // writers that close the stream they are given (DL4J's ModelSerializer does) must not close the file
                writer.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
            }
            moveIntoPlace(temporary, target); // forces the content, renames, forces the directory
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * A temporary file next to {@code target}, readable by all like an ordinary new file ({@code rw-r--r--} where
     * the file system has POSIX permissions; {@code createTempFile} alone would make it owner-only).
     *
     * @param directory the target's directory
     * @param target the file it will become
     * @return the new, empty temporary file
     * @throws IOException if it cannot be created
     */
    public static Path createTemporary(Path directory, Path target) throws IOException {
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".part");
        if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return temporary;
    }

    /**
     * Renames a finished temporary file over {@code target}, atomically where the file system allows it: the file's
     * content is forced to disk first and the directory after, so that after a power cut the target is the old
     * file or the whole new one (a rename alone can reach the disk before the data it names).
     *
     * @param temporary the finished file, in the same directory as the target
     * @param target the file to (re)place
     * @throws IOException if syncing or the rename fails
     */
    public static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.READ)) {
            file.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries to disk where the platform can (Linux and macOS can; Windows cannot open one). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the rename happened; only its durability across a power cut is then up to the file system
        }
    }
}
