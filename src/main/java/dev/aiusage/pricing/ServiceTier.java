package dev.aiusage.pricing;

import java.util.Locale;

/** How the provider served the call; batch and flex calls are billed below standard, priority above it. */
public enum ServiceTier {
    STANDARD, BATCH, FLEX, PRIORITY;

    /** The name in the catalog files: lower case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServiceTier ofCode(String code) {
        return code == null ? STANDARD : valueOf(code.toUpperCase(Locale.ROOT));
    }
}
