package dev.aiusage.access;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says at start-up, loudly, when the service runs without keys. */
@Singleton
class OpenModeNotice implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(OpenModeNotice.class);

    private final ApiKeyService keys;

    OpenModeNotice(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        if (keys.keysRequired()) {
            LOG.info("API keys are required on /graphql and /usage (Authorization: Bearer <key>).");
        } else {
            LOG.warn("""

                    ************************************************************************************
                    *  OPEN MODE: no API key is configured. Anyone who can reach {} can read and
                    *  write every team's usage. The service listens on localhost only unless
                    *  MICRONAUT_SERVER_HOST says otherwise. Set AIUSAGE_ADMIN_KEY to require keys.
                    ************************************************************************************""",
                    event.getSource().getURL());
        }
    }
}
