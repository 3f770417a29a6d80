package dev.aiusage.store;

/**
 * Where one in-memory index stands: {@code READY} answers its reads, {@code LOADING} and {@code NOT_LOADED} leave
 * them to the rollups in SQL until it is loaded, {@code STEPPED_ASIDE} for good (past its cell limit or a sum's range),
 * {@code OFF} when {@code aiusage.store.index.max-day-cells} is 0.
 *
 * @param cells the cells it holds (combination × day or hour) when ready, else 0
 */
public record IndexStatus(String name, State state, long cells) {
    public enum State { READY, LOADING, NOT_LOADED, STEPPED_ASIDE, OFF }
}
