package graphservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Local Neo4j Community server for development and tests (no Docker).
 *
 * <p>Starts an embedded {@link DatabaseManagementService} with the Bolt connector on
 * 127.0.0.1, auth enabled (user {@code neo4j}, password from NEO4J_PASSWORD, no change
 * required), HTTP off, data under NEO4J_LOCAL_HOME. Prints a line starting with
 * {@value #READY} once a real Bolt query with those credentials succeeded, then runs
 * until SIGTERM/SIGINT and shuts down cleanly.
 *
 * <p>Environment:
 * <ul>
 *   <li>NEO4J_LOCAL_HOME - data/log folder (required; the wrapper script sets it)</li>
 *   <li>NEO4J_LOCAL_BOLT_PORT - Bolt port, default 7687</li>
 *   <li>NEO4J_PASSWORD - password of user neo4j, default graph-service-dev (8+ chars)</li>
 *   <li>NEO4J_LOCAL_PAGECACHE_MB - page cache size, default 256</li>
 * </ul>
 */
public final class Neo4jLocal {
    static final String READY = "NEO4J-LOCAL READY";
    static final String USER = "neo4j";

    public static void main(String[] args) throws Exception {
        String homeEnv = env("NEO4J_LOCAL_HOME", null);
        if (homeEnv == null) {
            fail("NEO4J_LOCAL_HOME is not set");
        }
        Path home = Path.of(homeEnv).toAbsolutePath();
        int port = Integer.parseInt(env("NEO4J_LOCAL_BOLT_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "graph-service-dev");
        if (password.length() < 8) {
            fail("NEO4J_PASSWORD must be at least 8 characters (Neo4j's minimum)");
        }
        long pageCacheMb = Long.parseLong(env("NEO4J_LOCAL_PAGECACHE_MB", "256"));
        Files.createDirectories(home);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                // Bolt on loopback only, plain text (drivers: bolt://, no TLS)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no phoning home
                // modest footprint: the machine also runs the test suite
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "128M size")
                // Bolt's Netty event loops otherwise wait 2 x 5 s on shutdown
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();
        System.out.printf("neo4j-local: DBMS started in %d ms%n", ms(t0));

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("neo4j-local: shutting down");
            try {
                dbms.shutdown();
                System.out.println("neo4j-local: stopped cleanly");
            } catch (Throwable t) {
                System.out.println("neo4j-local: error during shutdown: " + t);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-local-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
                throw new IllegalStateException("default database did not become available");
            }
            // Restart with existing data: the password usually already fits, so a Bolt
            // round trip is enough. Otherwise (fresh store: neo4j/neo4j with "change
            // required", or NEO4J_PASSWORD changed) set it and check again.
            try {
                boltSelfCheck(port, password);
                System.out.println("neo4j-local: password of user " + USER + " already set");
            } catch (ClientException e) { // incl. AuthenticationException, CredentialsExpired
                setPassword(dbms, password);
                boltSelfCheck(port, password);
            }
        } catch (Throwable t) {
            System.out.println("neo4j-local: startup failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // runs the shutdown hook
        }

        System.out.printf("%s bolt://127.0.0.1:%d user=%s home=%s startup_ms=%d pid=%d%n",
                READY, port, USER, home, ms(t0), ProcessHandle.current().pid());
        System.out.flush();

        stopped.await(); // until SIGTERM/SIGINT triggers the shutdown hook
    }

    /**
     * Sets the neo4j user's password without "change required". Idempotent: on a restart
     * with the same password Neo4j refuses "old and new password are the same", in which
     * case only the change-required flag is cleared.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            System.out.println("neo4j-local: password of user " + USER + " set");
        } catch (RuntimeException e) {
            if (!messageChain(e).toLowerCase().contains("same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED");
            System.out.println("neo4j-local: password of user " + USER + " unchanged");
        }
    }

    /** A real Bolt round trip with the configured credentials, through the Java driver. */
    private static void boltSelfCheck(int port, String password) {
        Config config = Config.builder()
                .withoutEncryption()
                .withLogging(Logging.none())
                .withConnectionTimeout(10, TimeUnit.SECONDS)
                .build();
        try (Driver driver = GraphDatabase.driver(
                "bolt://127.0.0.1:" + port, AuthTokens.basic(USER, password), config)) {
            driver.verifyConnectivity();
            long one = driver.executableQuery("RETURN 1 AS one").execute()
                    .records().get(0).get("one").asLong();
            if (one != 1) {
                throw new IllegalStateException("Bolt self-check returned " + one);
            }
        }
    }

    private static String messageChain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static void fail(String msg) {
        System.err.println("neo4j-local: " + msg);
        System.exit(2);
    }
}
