package io.wickrlocal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one writer of a data folder. SQLite's own locks let two servers open one database file and
 * interleave their transactions, but each server's group committer assumes it is the only writer of
 * the file (its commits are acknowledged in batches), so a second server on a folder is refused at
 * start: it takes an exclusive lock on {@code wickr-local.lock} in the folder and holds it until the
 * store closes. The operating system releases the lock when the process ends, however it ends, so a
 * crash never leaves the folder locked. The file holds the holder's process id, for the message.
 */
final class DataFolderLock implements AutoCloseable {
    static final String FILE_NAME = "wickr-local.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataFolderLock acquire(Path folder) {
        Path file = folder.resolve(FILE_NAME).toAbsolutePath();
        FileChannel channel = null;
        try {
            PrivateFiles.createEmpty(file);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already, through another open store
            }
            if (lock == null) {
                String holder = holder(file);
                channel.close();
                throw new StoreException("the data folder " + folder.toAbsolutePath() + " is in use by another Wickr"
                        + " Local" + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; one server writes a"
                        + " folder at a time: stop that one, or give this one another --data-dir", null, false);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataFolderLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the failure to lock is the one to report
                }
            }
            throw new StoreException("cannot lock the data folder " + folder.toAbsolutePath() + ": " + e.getMessage(),
                    e, false);
        }
    }

    private static String holder(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
