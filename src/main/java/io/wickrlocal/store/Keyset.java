package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs keyset-paginated queries for the stores. */
final class Keyset {
    private Keyset() {}

    /**
     * @param select  the select list, e.g. "u.*"
     * @param from    the FROM and WHERE clauses (the WHERE must exist; the page condition is ANDed)
     */
    static <T> Page<T> fetch(Tx tx, String select, String from, List<Object> args, PageRequest page,
                             RowMapper<T> mapper) {
        StringBuilder sql = new StringBuilder("SELECT ").append(select);
        List<SortColumn> cols = page.columns();
        for (int i = 0; i < cols.size(); i++) {
            sql.append(", ").append(cols.get(i).sql).append(" AS k_").append(i);
        }
        sql.append(' ').append(from);
        List<Object> all = new ArrayList<>(args);
        if (page.after() != null) {
            sql.append(" AND (");
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(cols.get(i).sql);
            }
            sql.append(page.descending() ? ") < (" : ") > (");
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(')');
            all.addAll(page.after());
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < cols.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(cols.get(i).sql).append(page.descending() ? " DESC" : " ASC");
        }
        sql.append(" LIMIT ").append(page.limit() + 1);

        List<Object[]> keys = new ArrayList<>();
        List<T> rows = tx.list(sql.toString(), rs -> {
            keys.add(key(rs, cols));
            return mapper.map(rs);
        }, all.toArray());
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, page.limit());
        return new Page<>(List.copyOf(items), List.of(keys.get(page.limit() - 1)));
    }

    private static Object[] key(ResultSet rs, List<SortColumn> cols) throws SQLException {
        Object[] key = new Object[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            Object v = rs.getObject("k_" + i);
            key[i] = v instanceof Integer n ? Long.valueOf(n) : v;
        }
        return key;
    }
}
