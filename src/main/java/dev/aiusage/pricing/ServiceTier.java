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

    /** As a record stores it: null for standard, else the ordinal. */
    public Short stored() {
        return this == STANDARD ? null : (short) ordinal();
    }

    /** The tier a record stored as {@link #stored}. */
    public static ServiceTier ofStored(Short stored) {
        return stored == null ? STANDARD : values()[stored];
    }
}
