package dev.aiusage.support;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The suite's second run ({@code aiusage.test.engine=postgres}, the surefire execution {@code postgres}) talks to
 * a real PostgreSQL 17 server, started here once per test JVM from the binaries on Maven Central and stopped
 * when it exits. Each application context gets a database of its own, as each gets its own in-memory H2
 * database in the first run, so tests never see each other's rows. The server runs without fsync: a test
 * server's data need not survive a power cut, and every commit still goes through PostgreSQL's own WAL path.
 */
@Singleton
@Requires(property = "aiusage.test.engine", value = "postgres")
public class Postgres implements BeanCreatedEventListener<DatasourceConfiguration> {
    private static EmbeddedPostgres server;

    /** Whether this run of the suite is on PostgreSQL. */
    public static boolean active() {
        return "postgres".equals(System.getProperty("aiusage.test.engine"));
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "400")
                        .setServerConfig("shared_buffers", "256MB")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the tests' PostgreSQL server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the data directory is a temporary one
                }
            }));
        }
        return server;
    }

    /** The URL of a new, empty database on the tests' server (user {@code postgres}, no password). */
    public static String freshDatabaseUrl() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        EmbeddedPostgres pg = server();
        try (Connection connection = pg.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    /** The URL the surefire execution configures; every context that keeps it gets a fresh database instead. */
    static final String PLACEHOLDER = "jdbc:postgresql://127.0.0.1:5432/postgres";

    /**
     * A context on the suite's placeholder URL gets a fresh database; one that names a database on the tests'
     * server itself (a test that restarts a server on the same database) keeps it. Either way with the server's
     * user. Contexts on H2 URLs of their own (file-database tests) are left alone.
     */
    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getConfiguredUrl();
        if (PLACEHOLDER.equals(url)) {
            config.setUrl(freshDatabaseUrl());
        } else if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return config;
        }
        config.setUsername("postgres");
        config.setPassword("");
        return config;
    }
}
