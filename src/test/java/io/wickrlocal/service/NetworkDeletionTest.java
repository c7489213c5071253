package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DeleteNetwork leaves no row of the network behind, in any table that has one, except the audit trail:
 * its events are history, kept (with the deletion itself among them) until the account's state is reset.
 */
class NetworkDeletionTest {
    private static final String AUDIT = "audit_events";

    private static ObjectNode in(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        return in;
    }

    @ParameterizedTest
    @MethodSource("io.wickrlocal.store.TestStores#all")
    void deletingANetworkRemovesEverythingInIt(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            String keep = f.premiumNetwork();
            for (String n : List.of(net, keep)) {
                List<String> codes = new ArrayList<>();
                String user = f.users(n, "u", 2, codes).get(0);
                f.signIn(n, user, codes.get(0));
                ObjectNode bot = in(n);
                bot.put("username", "helperbot");
                bot.put("groupId", f.defaultGroup(n));
                bot.put("challenge", "Bot-password-1");
                String botId = f.invoke("CreateBot", bot).get("botId").asText();
                ObjectNode signIn = in(n);
                signIn.put("botId", botId);
                signIn.put("challenge", "Bot-password-1");
                f.invoke("LocalBotSignIn", signIn);
                f.invoke("CreateDataRetentionBot", in(n));
                ObjectNode guest = in(n);
                guest.put("username", "guest@elsewhere.example");
                String hash = f.invoke("LocalRecordGuestActivity", guest).get("usernameHash").asText();
                ObjectNode block = in(n);
                block.put("usernameHash", hash);
                block.put("block", true);
                f.invoke("UpdateGuestUser", block);
                ObjectNode settings = in(n);
                settings.putObject("settings").put("enableClientMetrics", true);
                f.invoke("UpdateNetworkSettings", settings);
                ObjectNode oidc = in(n);
                oidc.put("companyId", "acme");
                oidc.put("issuer", "https://idp.example.com");
                oidc.put("scopes", "openid");
                f.invoke("RegisterOidcConfig", oidc);
                ObjectNode tdf = in(n);
                tdf.put("clientId", "c");
                tdf.put("clientSecret", "s");
                tdf.put("domain", "tdf.example.com");
                tdf.put("provider", "virtru");
                f.invoke("RegisterOpentdfConfig", tdf);
            }
            List<String> tables = tablesWithANetworkId(f);
            assertThat(tables).contains(AUDIT);
            tables.remove(AUDIT);
            assertThat(tables).contains("users", "devices", "sessions", "bots", "bot_sessions", "data_retention_bots",
                    "guest_users", "guest_activity", "guest_blocks", "network_settings", "oidc_configs",
                    "opentdf_configs", "security_groups", "user_groups", "networks");
            for (String table : tables) {
                assertThat(rows(f, table, net)).as(table + " before").isPositive();
            }
            long history = rows(f, AUDIT, net);
            f.invoke("DeleteNetwork", in(net));
            for (String table : tables) {
                assertThat(rows(f, table, net)).as(table + " after").isZero();
                assertThat(rows(f, table, keep)).as(table + " of the other network").isPositive();
            }
            assertThat(rows(f, AUDIT, net)).as("the audit trail keeps the network's history and its deletion")
                    .isEqualTo(history + 1);
        }
    }

    private static long rows(ServiceFixture f, String table, String networkId) {
        return f.service.transaction(tx -> tx.count("SELECT COUNT(*) FROM " + table + " WHERE network_id = ?", networkId));
    }

    private static List<String> tablesWithANetworkId(ServiceFixture f) {
        return f.service.transaction(tx -> tx.connectionMetadata(meta -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, null, "%", "%")) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (rs.getString("COLUMN_NAME").equalsIgnoreCase("network_id") && !out.contains(table)
                            && (rs.getString("TABLE_SCHEM") == null || rs.getString("TABLE_SCHEM").equals("public"))) {
                        out.add(table);
                    }
                }
            }
            return out;
        }));
    }
}
