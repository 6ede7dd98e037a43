package io.ferry.copy.internal.preflight;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The source's global binlog settings ferry depends on, and what is wrong with them: each problem says the value,
 * what ferry needs and the statement that fixes it. A variable the server does not have is absent (MySQL has no
 * {@code log_bin_compress}, MariaDB no {@code binlog_row_value_options}).
 *
 * <p>What needs no refusal: MySQL's {@code binlog_transaction_compression} (ferry reads compressed transactions),
 * {@code binlog_row_metadata} MINIMAL or FULL, GTIDs on or off, and MariaDB 11.4's
 * {@code binlog_legacy_event_pos=OFF} (ferry counts positions itself).
 */
record BinlogSettings(Map<String, String> values) {
    static final List<String> NAMES = List.of("log_bin", "binlog_format", "binlog_row_image",
            "binlog_row_value_options", "log_bin_compress");

    BinlogSettings {
        values = Map.copyOf(values);
    }

    /** The global values of {@link #NAMES} on {@code source}. */
    static BinlogSettings read(Connection source) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('"
                     + String.join("', '", NAMES) + "')")) {
            while (rs.next()) {
                out.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        return new BinlogSettings(out);
    }

    /** Every problem, in one list; empty when the source can be copied from. */
    List<String> problems(boolean skipRowImageCheck) {
        List<String> problems = new ArrayList<>();
        if (!isOn("log_bin")) {
            problems.add("the source has no binary log (log_bin is OFF); ferry follows changes through it. Start the "
                    + "server with log_bin (e.g. --log-bin=binlog) and binlog_format=ROW");
        }
        String format = values.get("binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            problems.add("the source's binlog_format is " + format + "; ferry requires ROW, since statement events "
                    + "cannot be replayed safely. Run SET GLOBAL binlog_format='ROW' (and set it in the server's "
                    + "configuration), then reconnect the application so its sessions pick it up");
        }
        String image = values.get("binlog_row_image");
        if (!skipRowImageCheck && image != null && !"FULL".equalsIgnoreCase(image)) {
            problems.add("the source's binlog_row_image is " + image + "; ferry requires FULL so that updates and "
                    + "deletes can be matched on the whole old row. Run SET GLOBAL binlog_row_image='FULL' (and set it "
                    + "in the server's configuration)");
        }
        String valueOptions = values.get("binlog_row_value_options");
        if (valueOptions != null && valueOptions.toUpperCase(Locale.ROOT).contains("PARTIAL_JSON")) {
            problems.add("the source's binlog_row_value_options is " + valueOptions + "; JSON updates are then logged"
                    + " as partial changes, without the full new row ferry writes. Run SET GLOBAL"
                    + " binlog_row_value_options='' (and set it in the server's configuration), then reconnect the"
                    + " application so its sessions pick it up");
        }
        if (isOn("log_bin_compress")) {
            problems.add("the source compresses its binlog events (log_bin_compress is ON), which ferry cannot read."
                    + " Run SET GLOBAL log_bin_compress=OFF (and set it in the server's configuration)");
        }
        return problems;
    }

    private boolean isOn(String name) {
        String v = values.get(name);
        return "ON".equalsIgnoreCase(v) || "1".equals(v);
    }
}
