package io.wickrlocal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and folders that only their owner may read: the SQLite database with its write-ahead log and
 * shared-memory file, and the secrets key. On a file system without POSIX permissions (Windows) these
 * fall back to the platform's defaults.
 */
final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates the folder and any missing parent as 0700; a folder that exists already keeps its mode
     * (its owner chose it), as the files inside are private anyway.
     */
    static void createFolder(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            List<Path> missing = new ArrayList<>();
            for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                missing.add(p);
            }
            if (posix()) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
                // The umask may only take bits away, but set the mode plainly in case it was odd.
                for (Path p : missing) {
                    Files.setPosixFilePermissions(p, OWNER_FOLDER);
                }
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    /** Creates an empty file readable by its owner only, unless it exists already. */
    static void createEmpty(Path file) throws IOException {
        try {
            Files.createFile(file, ownerOnly());
        } catch (FileAlreadyExistsException e) {
            return;
        }
        if (posix()) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }

    /** Creates a new file readable by its owner only, failing when it exists. */
    static Path createNew(Path file) throws IOException {
        Files.createFile(file, ownerOnly());
        if (posix()) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
        return file;
    }

    /**
     * Takes group and other permissions off a file that has them (one written by an earlier version,
     * whose store files were 0644), saying so in the log. A file that cannot be changed (read-only
     * mount, another owner) is left as it is, with a warning. Returns whether it had to narrow them.
     */
    static boolean narrow(Path file) {
        if (!posix() || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (now.stream().noneMatch(OTHERS::contains)) {
                return false;
            }
            Set<PosixFilePermission> mine = new java.util.HashSet<>(now);
            mine.removeAll(OTHERS);
            Files.setPosixFilePermissions(file, mine);
            LOG.info("{} was readable by other users ({}); it is now readable by its owner only ({})", file,
                    PosixFilePermissions.toString(now), PosixFilePermissions.toString(mine));
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("{} is readable by other users, and its permissions could not be narrowed: {}", file, e.toString());
            return false;
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
    }
}
