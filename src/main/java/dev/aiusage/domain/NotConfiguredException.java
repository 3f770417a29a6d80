package dev.aiusage.domain;

/** Something was asked of a part of the service that is not configured; names the setting, never its value. */
public class NotConfiguredException extends RuntimeException {
    private final String setting;

    public NotConfiguredException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
