package dev.aiusage;

import io.micronaut.runtime.Micronaut;

import java.util.Map;

public class Application {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("refresh-prices")) {
            // a command, not the service: converts genai-prices' data.json into the shipped catalog
            dev.aiusage.pricing.CatalogConverter.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("import")) {
            // a command, not the service: imports a JSONL or CSV file of usage into the configured database
            dev.aiusage.intake.bulk.ImportCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Micronaut micronaut = Micronaut.build(args).mainClass(Application.class);
        // Without an admin key the service runs open, so it listens on localhost only, unless told where to listen.
        if (blank("AIUSAGE_ADMIN_KEY", "aiusage.admin-key") && blank("MICRONAUT_SERVER_HOST", "micronaut.server.host")) {
            micronaut.properties(Map.of("micronaut.server.host", "127.0.0.1"));
        }
        micronaut.start();
    }

    private static boolean blank(String environmentVariable, String property) {
        String value = System.getenv(environmentVariable);
        if (value == null || value.isBlank()) {
            value = System.getProperty(property);
        }
        return value == null || value.isBlank();
    }
}
