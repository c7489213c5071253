package io.wickrlocal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Where the key that encrypts the stored client secrets comes from: a file outside the database, or a
 * random key for a store that lives in memory. The key is 32 bytes; a key file holds them raw, or as
 * base64 text (such as {@code openssl rand -base64 32} writes). A missing key file is created (0600,
 * 32 random bytes) the first time a store is opened with it, and only then: once a database has been
 * used with a key, it holds a check value of that key, and a missing or different key stops the open
 * with {@link SecretsKeyException} instead of making another one.
 *
 * <p>Neither {@link #toString()} nor any message ever shows the key.
 */
public final class SecretsKey {
    /** The key file's name in a data folder. */
    public static final String FILE_NAME = "secrets.key";
    static final int LENGTH = 32;
    private static final int MAX_FILE_BYTES = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final byte[] key;

    private SecretsKey(Path file, byte[] key) {
        this.file = file;
        this.key = key;
    }

    /** The key in this file, created when absent at the first open of a database. */
    public static SecretsKey file(Path file) {
        return new SecretsKey(file.toAbsolutePath(), null);
    }

    /** The key file in a data folder: {@code <dir>/secrets.key}. */
    public static SecretsKey inFolder(Path dir) {
        return file(dir.resolve(FILE_NAME));
    }

    /** A fresh random key, known only to this process: for a store that lives in memory. */
    public static SecretsKey random() {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        return new SecretsKey(null, k);
    }

    /** This key (32 bytes, copied), e.g. one a program has from its own secret store. */
    public static SecretsKey of(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("a secrets key is " + LENGTH + " bytes");
        }
        return new SecretsKey(null, key.clone());
    }

    /** The key file, or null for a key given in memory. */
    public Path keyFile() {
        return file;
    }

    /** For messages: the file's path, never the key. */
    public String describe() {
        return file == null ? "the secrets key given in memory" : "the secrets key file " + file;
    }

    @Override
    public String toString() {
        return "SecretsKey[" + (file == null ? "in memory" : file) + "]";
    }

    /**
     * The key's bytes.
     *
     * @param mayCreate whether a missing key file may be created: only while the database has no key yet
     */
    byte[] bytes(boolean mayCreate) {
        if (key != null) {
            return key.clone();
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) { // a dangling link is reported by the read
            return read(file);
        }
        if (!mayCreate) {
            throw new SecretsKeyException("the secrets key file " + file + " does not exist, but this database was"
                    + " first used with a secrets key: restore that file, or name it with --secrets-key-file");
        }
        return create(file);
    }

    private static byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw invalid(file, size + " bytes");
            }
            byte[] content = Files.readAllBytes(file);
            PrivateFiles.narrow(file);
            if (content.length == LENGTH) {
                return content;
            }
            String text = new String(content, StandardCharsets.US_ASCII).strip();
            try {
                byte[] decoded = Base64.getDecoder().decode(text);
                if (decoded.length == LENGTH) {
                    return decoded;
                }
            } catch (IllegalArgumentException notBase64) {
                // reported below
            } finally {
                Arrays.fill(content, (byte) 0);
            }
            throw invalid(file, content.length + " bytes");
        } catch (IOException e) {
            throw new SecretsKeyException("cannot read the secrets key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static SecretsKeyException invalid(Path file, String holds) {
        return new SecretsKeyException("the secrets key file " + file + " must hold " + LENGTH
                + " bytes, raw or as base64 text (such as `head -c 32 /dev/urandom > FILE` writes), not " + holds);
    }

    /**
     * Writes 32 random bytes to a private temporary file beside the key file, then links it into place,
     * which fails when another process got there first: that one's key is read instead, so two nodes
     * starting together on one folder end up with the same key.
     */
    private static byte[] create(Path file) {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        Path dir = file.getParent();
        Path tmp = null;
        try {
            PrivateFiles.createFolder(dir);
            tmp = PrivateFiles.createNew(dir.resolve(FILE_NAME + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + ".tmp"));
            Files.write(tmp, k);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException taken) {
                return read(file);
            } catch (UnsupportedOperationException | IOException noLinks) {
                try {
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException taken) {
                    return read(file);
                }
            }
            return k;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SecretsKeyException("cannot create the secrets key file " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a stray temporary file; it holds a key nobody uses
                }
            }
        }
    }
}
