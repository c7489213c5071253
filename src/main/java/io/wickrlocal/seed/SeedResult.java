package io.wickrlocal.seed;

/**
 * What applying a seed did: how many items it created, and how many it found already there (and
 * left as they were). Applying the same file to the same data again creates nothing.
 */
public record SeedResult(String source, int networksCreated, int groupsCreated, int usersCreated, int botsCreated,
                         int alreadyPresent) {

    /** True when the seed wrote anything. */
    public boolean changed() {
        return networksCreated + groupsCreated + usersCreated + botsCreated > 0;
    }

    /** One line for the start-up log. */
    public String summary() {
        return "Seed " + source + ": created " + networksCreated + " network(s), " + groupsCreated
                + " security group(s), " + usersCreated + " user(s), " + botsCreated + " bot(s); "
                + alreadyPresent + " item(s) were already present and left as they were";
    }
}
