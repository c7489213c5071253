package io.wickrlocal.seed;

import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.service.WickrService;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A seed file: networks, security groups, users (some suspended) and bots to have in place when a
 * server starts. Read it with {@link #parse} or {@link #read}, then {@link #applyTo} a service.
 * Applying is idempotent: what exists is found by its natural key and left as it is, what is
 * missing is created through the operations' own rules, all in one transaction. Every error names
 * the file, line, column and field path, and leaves the store untouched.
 *
 * <pre>{@code
 * SeedResult r = Seed.read(Path.of("seed.yaml")).applyTo(service, ServiceContract.load());
 * }</pre>
 */
public final class Seed {
    /** Larger seed files are refused: they are declarations, not data dumps (use a snapshot for that). */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private final String source;
    private final LocatedTree tree;
    private final List<SeedModel.Account> accounts;

    private Seed(String source, LocatedTree tree, List<SeedModel.Account> accounts) {
        this.source = source;
        this.tree = tree;
        this.accounts = accounts;
    }

    /**
     * Reads a seed from text. JSON when the text starts with '{' (after white space), YAML
     * otherwise.
     *
     * @param source the name errors give for the text, such as the file name
     * @throws SeedException when it is not a well-formed seed
     */
    public static Seed parse(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new SeedException(source, 0, 0, "", "is larger than " + MAX_BYTES + " bytes");
        }
        boolean json = text.stripLeading().startsWith("{");
        LocatedTree tree = LocatedTree.parse(text, source, !json);
        return new Seed(source, tree, new SeedReader(tree).read());
    }

    /**
     * Reads a seed file: JSON for a name ending in .json, YAML for .yaml or .yml, otherwise as
     * {@link #parse} decides. Errors name the file by its file name.
     *
     * @throws SeedException when it cannot be read or is not a well-formed seed
     */
    public static Seed read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new SeedException(name, 0, 0, "", "is larger than " + MAX_BYTES + " bytes");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SeedException(name, 0, 0, "", "is not UTF-8 text");
        } catch (IOException e) {
            throw new SeedException(name, 0, 0, "", "cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            LocatedTree tree = LocatedTree.parse(text, name, !lower.endsWith(".json"));
            return new Seed(name, tree, new SeedReader(tree).read());
        }
        return parse(text, name);
    }

    /**
     * Creates what the seed declares and the store lacks, in one transaction.
     *
     * @throws SeedException when an item breaks a rule of the operation that would create it;
     *                       nothing is written then
     */
    public SeedResult applyTo(WickrService service, ServiceContract contract) {
        return new SeedApplier(service, contract, tree, source).apply(accounts);
    }

    /**
     * The same seed with its top-level {@code networks} in the given account and region instead of
     * account 000000000000 in us-east-1: for a server whose clients sign with other credentials.
     * Entries under {@code accounts} keep the account and region they name.
     *
     * @throws SeedException when an entry under {@code accounts} declares that account and region too
     */
    public Seed withDefaultAccount(String accountId, String region) {
        return new Seed(source, tree, new SeedReader(tree, accountId, region).read());
    }

    /** The name errors give, such as the file name. */
    public String source() {
        return source;
    }
}
