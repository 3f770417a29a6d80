package dev.aiusage.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL 17 server for {@code bench/run store --store postgres}, from the binaries on Maven Central, with
 * its data under the benchmark's directory and durable settings (fsync and synchronous commit on, as a
 * production server runs), tuned only as a small dedicated server would be: shared buffers and WAL size.
 */
final class BenchPostgres implements AutoCloseable {
    private final EmbeddedPostgres server;

    BenchPostgres(Path dataDir) throws IOException, SQLException {
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setServerConfig("shared_buffers", "1GB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("max_connections", "100")
                // statements slower than 200 ms go to postgres.log beside the data, with their parameters
                .setServerConfig("log_min_duration_statement", "200")
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", dataDir.getParent().toAbsolutePath().toString())
                .setServerConfig("log_filename", "postgres.log")
                .start();
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE aiusage");
        }
    }

    String url() {
        return server.getJdbcUrl("postgres", "aiusage");
    }

    /** The database's size on disk (tables, indexes, TOAST and free space maps; the WAL is apart). */
    long bytes() throws SQLException {
        try (Connection connection = server.getDatabase("postgres", "aiusage").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
