package io.driftwarden.cron.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table whose columns are as wide as their widest value (header included), two spaces apart; an empty value
 * prints as {@code -}, so every column holds a word. Rows are kept until {@link #print}.
 */
final class TextTable {

    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> after = new ArrayList<>();

    TextTable(String... header) {
        rows.add(List.of(header));
        after.add(null);
    }

    /** Adds a row; {@code below} (may be null) are lines printed under it as they are, not in columns. */
    TextTable row(List<String> below, Object... values) {
        List<String> row = new ArrayList<>(values.length);
        for (Object value : values) {
            row.add(value == null || String.valueOf(value).isEmpty() ? "-" : String.valueOf(value));
        }
        rows.add(row);
        after.add(below == null || below.isEmpty() ? null : String.join("\n", below));
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String value = rows.get(r).get(i);
                line.append(value);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - value.length() + 2));
                }
            }
            out.println(line);
            if (after.get(r) != null) {
                out.println(after.get(r));
            }
        }
    }
}
