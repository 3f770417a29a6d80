package dev.aiusage.pricing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * US dollars per million tokens of each kind, and per request; null where the price list has no separate price,
 * in which case those tokens are priced as the kind they are part of (cache reads and writes as input, one-hour
 * cache writes as cache writes, reasoning as output), as genai-prices does.
 */
public record Rates(BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal cacheWrite1h,
                    BigDecimal output, BigDecimal reasoning, BigDecimal perRequest) {
    static final String[] KEYS = {"input", "cacheRead", "cacheWrite", "cacheWrite1h", "output", "reasoning", "perRequest"};

    BigDecimal get(int i) {
        return switch (i) {
            case 0 -> input;
            case 1 -> cacheRead;
            case 2 -> cacheWrite;
            case 3 -> cacheWrite1h;
            case 4 -> output;
            case 5 -> reasoning;
            default -> perRequest;
        };
    }

    boolean isEmpty() {
        for (int i = 0; i < KEYS.length; i++) {
            if (get(i) != null) {
                return false;
            }
        }
        return true;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.length; i++) {
            json.put(KEYS[i], get(i));
        }
        return json;
    }

    static Rates fromJson(Map<?, ?> json) {
        BigDecimal[] v = new BigDecimal[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            Object value = json.get(KEYS[i]);
            v[i] = value == null ? null : (BigDecimal) value;
        }
        return new Rates(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    Rates times(BigDecimal factor) {
        BigDecimal[] v = new BigDecimal[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            v[i] = get(i) == null ? null : get(i).multiply(factor);
        }
        return new Rates(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }
}
