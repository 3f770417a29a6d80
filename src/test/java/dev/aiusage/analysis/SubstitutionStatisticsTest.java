package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.hipparchus.distribution.continuous.TDistribution;
import org.hipparchus.stat.inference.TTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics behind substitution verdicts, on three pairs whose figures are worked out by hand below (margin
 * m = 0.05, confidence 0.95, window [2026-03-01, 2026-03-11): 10 days, so volumes × 3), and checked a second way
 * from the raw values the test sent, with Hipparchus's own Welch t-test and t distribution.
 *
 * <p><b>alpha</b>: a-big scores 0.90 five times and 0.80 five times, mean 0.85, deviations ±0.05, s² = 10 × 0.0025 / 9
 * = 0.0027778; a-small 0.88 ×5 and 0.80 ×5, mean 0.84, s² = 10 × 0.0016 / 9 = 0.0017778. d = 0.01,
 * se = √((0.0027778 + 0.0017778) / 10) = √0.00045556 = 0.021344, ν = 0.00045556² / ((0.00027778² + 0.00017778²) / 9)
 * = 2.0753e-7 / 1.20851e-8 = 17.17; t = (0.01 − 0.05) / 0.021344 = −1.8741, p = 0.0390; t(0.975, 17.17) = 2.1082, so
 * d ± 0.0450 = [−0.0350, 0.0550]. Costs: a-big 1.00 on its 0.90 calls and 1.20 on its 0.80 calls (mean 1.10,
 * s² = 10 × 0.01 / 9 = 0.011111), a-small 0.10 (no variance): difference 1.00 per call, se = √(0.011111 / 10) =
 * 0.033333, ν = 9, t(0.975, 9) = 2.2622; × 10 calls × 3 = savings 30 in [27.738, 32.262]. Pass rates: a-big passes
 * its 0.90s, 5 of 10, Wilson [0.2366, 0.7634]; a-small its 0.88s and three 0.80s, 8 of 10, Wilson [0.4902, 0.9433].
 *
 * <p><b>beta</b>: b-big 0.9 ×5 and 0.7 ×5 (mean 0.8, s² = 10 × 0.01 / 9 = 0.011111), b-small 0.88 ×5 and 0.72 ×5
 * (mean 0.8, s² = 10 × 0.0064 / 9 = 0.0071111): d = 0, se = √(0.018222 / 10) = 0.042687, t = −1.1713, ν = 17.17,
 * p = 0.1287. Costs 0.50 and 0.05: savings 0.45 × 10 × 3 = 13.5, exactly (no variance). No verdicts: no pass rates.
 *
 * <p><b>gamma</b>: c-big 0.91 ×10 and 0.89 ×10 (mean 0.9, s² = 20 × 0.0001 / 19 = 0.00010526), c-small 0.90 ×20: d = 0,
 * se = √(0.00010526 / 20) = 0.0022942, ν = 19, t = −21.794, p = 3.3e-15. Costs 0.30 and 0.02: savings 0.28 × 20 × 3 = 16.8.
 *
 * <p>Holm over the three: sorted p are gamma 3.3e-15, alpha 0.0390, beta 0.1287; adjusted gamma 3 × 3.3e-15 = 1.0e-14,
 * alpha max(1.0e-14, 2 × 0.0390) = 0.0780, beta max(0.0780, 0.1287) = 0.1287. So gamma is RECOMMENDED; alpha, though
 * its own p is below 0.05, is not, nor beta. Samples needed at α/k = 0.05 / 3 = 0.016667 with 80% power:
 * (z(0.98333) + z(0.8))² = (2.1280 + 0.8416)² = 8.8189; alpha 8.8189 × 0.0045556 / 0.04² = 25.11 → 26, beta
 * 8.8189 × 0.018222 / 0.05² = 64.28 → 65.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubstitutionStatisticsTest {
    private static final String FROM = "2026-03-01T00:00:00Z";
    private static final String TO = "2026-03-11T00:00:00Z";
    private static final String DAY = "2026-03-04T10:00:00Z";
    private static final String TEAM = "stats-team";
    private static final double HAND = 1e-4;

    private static final double[] A_BIG = repeat(0.90, 5, 0.80, 5);
    private static final double[] A_SMALL = repeat(0.88, 5, 0.80, 5);
    private static final double[] B_BIG = repeat(0.9, 5, 0.7, 5);
    private static final double[] B_SMALL = repeat(0.88, 5, 0.72, 5);
    private static final double[] C_BIG = repeat(0.91, 10, 0.89, 10);
    private static final double[] C_SMALL = repeat(0.90, 20, 0, 0);

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // a-big: the 0.90s cost 1.00 and pass, the 0.80s cost 1.20 and fail
            records.add(call("alpha", "a-big", i < 5 ? 1.00 : 1.20, A_BIG[i], i < 5));
            // a-small: the 0.88s and the first three 0.80s pass
            records.add(call("alpha", "a-small", 0.10, A_SMALL[i], i < 8));
            records.add(call("beta", "b-big", 0.50, B_BIG[i], null));
            records.add(call("beta", "b-small", 0.05, B_SMALL[i], null));
        }
        for (int i = 0; i < 20; i++) {
            records.add(call("gamma", "c-big", 0.30, C_BIG[i], null));
            records.add(call("gamma", "c-small", 0.02, C_SMALL[i], null));
        }
        // delta: one scored call each, no variance to be had
        records.add(call("delta", "d-big", 1.00, 0.9, null));
        records.add(call("delta", "d-small", 0.10, 0.9, null));
        Collections.shuffle(records, new java.util.Random(17));
        assertEquals(records.size(), Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", records)), "recordUsageBatch.accepted"));
    }

    private static Map<String, Object> call(String workflow, String model, double cost, double quality, Boolean passed) {
        return Usage.of(DAY, TEAM, model, workflow, "t", cost).quality(quality, passed).map();
    }

    private static double[] repeat(double first, int firstCount, double second, int secondCount) {
        double[] values = new double[firstCount + secondCount];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < firstCount ? first : second;
        }
        return values;
    }

    private List<?> opportunities(Map<String, Object> more) {
        Map<String, Object> variables = new HashMap<>(Map.of("from", FROM, "to", TO, "minSamples", 10,
                "filter", Map.of("teams", List.of(TEAM))));
        variables.putAll(more);
        return Json.list(graphql.data("substitutionOpportunities", variables), "substitutionOpportunities");
    }

    private static Object pair(List<?> found, String workflow) {
        return found.stream().filter(o -> workflow.equals(Json.at(o, "workflow"))).findFirst().orElseThrow(() -> new AssertionError(workflow + " in " + found));
    }

    @Test
    void intervalsTestsAndVerdictsMatchTheHandWorkedFigures() {
        List<?> found = opportunities(Map.of());
        // the point estimates decide who is listed and in what order, as before: savings 30, 16.8, 13.5
        assertEquals(List.of("alpha", "gamma", "beta"), found.stream().map(o -> Json.at(o, "workflow")).toList());

        Object alpha = pair(found, "alpha");
        assertEquals(0.01, Json.number(alpha, "qualityDiff"), 1e-9);
        assertEquals(-0.0350, Json.number(alpha, "statistics.qualityDiffLower"), HAND);
        assertEquals(0.0550, Json.number(alpha, "statistics.qualityDiffUpper"), HAND);
        assertEquals(0.95, Json.number(alpha, "statistics.confidence"));
        assertEquals(0.0390, Json.number(alpha, "statistics.pValue"), HAND);
        assertEquals(0.0780, Json.number(alpha, "statistics.adjustedPValue"), HAND);
        assertEquals("NEEDS_MORE_DATA", Json.at(alpha, "verdict"));
        assertEquals(26, Json.whole(alpha, "statistics.samplesNeeded"));
        assertEquals(Map.of("estimate", 0.5, "lower", 0.2366, "upper", 0.7634), rounded(Json.at(alpha, "statistics.passRateCurrent")));
        assertEquals(Map.of("estimate", 0.8, "lower", 0.4902, "upper", 0.9433), rounded(Json.at(alpha, "statistics.passRateBetter")));
        assertEquals(30.0, Json.number(alpha, "estMonthlySavings"), 1e-9);
        assertEquals(27.738, Json.number(alpha, "statistics.monthlySavingsLower"), 1e-3);
        assertEquals(32.262, Json.number(alpha, "statistics.monthlySavingsUpper"), 1e-3);

        Object beta = pair(found, "beta");
        assertEquals(-0.0900, Json.number(beta, "statistics.qualityDiffLower"), HAND);
        assertEquals(0.0900, Json.number(beta, "statistics.qualityDiffUpper"), HAND);
        assertEquals(0.1287, Json.number(beta, "statistics.pValue"), HAND);
        assertEquals(0.1287, Json.number(beta, "statistics.adjustedPValue"), HAND);
        assertEquals("NEEDS_MORE_DATA", Json.at(beta, "verdict"));
        assertEquals(65, Json.whole(beta, "statistics.samplesNeeded"));
        assertNull(Json.at(beta, "statistics.passRateCurrent"), "no checked calls, no pass rate");
        assertEquals(13.5, Json.number(beta, "statistics.monthlySavingsLower"), 1e-9);
        assertEquals(13.5, Json.number(beta, "statistics.monthlySavingsUpper"), 1e-9);

        Object gamma = pair(found, "gamma");
        assertEquals("RECOMMENDED", Json.at(gamma, "verdict"));
        assertEquals(-0.0048, Json.number(gamma, "statistics.qualityDiffLower"), HAND);
        assertEquals(0.0048, Json.number(gamma, "statistics.qualityDiffUpper"), HAND);
        assertEquals(3.3e-15, Json.number(gamma, "statistics.pValue"), 0.1e-15);
        assertEquals(1.0e-14, Json.number(gamma, "statistics.adjustedPValue"), 0.03e-14);
        assertNull(Json.at(gamma, "statistics.samplesNeeded"), "recommended: nothing more needed");
        assertEquals(16.8, Json.number(gamma, "statistics.monthlySavingsLower"), 1e-9);
    }

    /** The same figures a second way: from the values sent, with the library's Welch test and t distribution. */
    @Test
    void agreeWithTheLibraryOnTheRawValues() {
        List<?> found = opportunities(Map.of());
        TTest welch = new TTest();
        Map<String, double[][]> samples = Map.of("alpha", new double[][] {A_BIG, A_SMALL}, "beta", new double[][] {B_BIG, B_SMALL},
                "gamma", new double[][] {C_BIG, C_SMALL});
        samples.forEach((workflow, pair) -> {
            // H₀ d ≥ m is the two-sample test of the current model against the cheaper one shifted up by the margin
            double[] shifted = java.util.Arrays.stream(pair[1]).map(q -> q + 0.05).toArray();
            double t = welch.t(pair[0], shifted);
            double oneSided = welch.tTest(pair[0], shifted) / 2;
            Object row = pair(found, workflow);
            assertTrue(t < 0, workflow);
            assertEquals(oneSided, Json.number(row, "statistics.pValue"), 1e-9 + oneSided * 1e-6, workflow);
            double se = Math.sqrt(variance(pair[0]) / pair[0].length + variance(pair[1]) / pair[1].length);
            assertEquals(t, (Json.number(row, "qualityDiff") - 0.05) / se, 1e-6, workflow);
        });
        // the interval's quantile: alpha's half-width over its se is t(0.975, ν) for ν from the Welch–Satterthwaite formula
        double va = variance(A_BIG) / 10;
        double vb = variance(A_SMALL) / 10;
        double nu = (va + vb) * (va + vb) / ((va * va + vb * vb) / 9);
        double half = new TDistribution(nu).inverseCumulativeProbability(0.975) * Math.sqrt(va + vb);
        Object alpha = pair(found, "alpha");
        assertEquals(0.01 - half, Json.number(alpha, "statistics.qualityDiffLower"), 1e-9);
        assertEquals(0.01 + half, Json.number(alpha, "statistics.qualityDiffUpper"), 1e-9);
    }

    @Test
    void aHigherConfidenceWidensTheIntervalsAndRaisesTheBar() {
        Object alpha = pair(opportunities(Map.of("confidence", 0.99)), "alpha");
        // t(0.995, 17.17) = 2.8946: 0.01 ± 2.8946 × 0.021344 = [−0.0518, 0.0718]
        assertEquals(-0.0518, Json.number(alpha, "statistics.qualityDiffLower"), HAND);
        assertEquals(0.0718, Json.number(alpha, "statistics.qualityDiffUpper"), HAND);
        assertEquals(0.99, Json.number(alpha, "statistics.confidence"));
        // the p-value does not depend on the level; the verdict's bar does
        assertEquals(0.0390, Json.number(alpha, "statistics.pValue"), HAND);
        Object gamma = pair(opportunities(Map.of("confidence", 0.99)), "gamma");
        assertEquals("RECOMMENDED", Json.at(gamma, "verdict"));
    }

    @Test
    void theRollupsInSqlAnswerAsTheIndexDoes() {
        // a provider filter is outside the in-memory index's cube: the answer comes from the rollups in SQL
        List<?> memory = opportunities(Map.of());
        List<?> sql = opportunities(Map.of("filter", Map.of("teams", List.of(TEAM), "providers", List.of("test-provider"))));
        assertEquals(memory.size(), sql.size());
        for (int i = 0; i < memory.size(); i++) {
            for (String field : List.of("pValue", "adjustedPValue", "qualityDiffLower", "qualityDiffUpper", "monthlySavingsLower", "monthlySavingsUpper")) {
                assertEquals(Json.number(memory.get(i), "statistics." + field), Json.number(sql.get(i), "statistics." + field), 1e-9, field);
            }
            assertEquals(Json.at(memory.get(i), "verdict"), Json.at(sql.get(i), "verdict"));
        }
    }

    @Test
    void oneScoredCallEachHasNoVarianceAndShowsNothing() {
        List<?> found = opportunities(Map.of("minSamples", 1, "filter", Map.of("teams", List.of(TEAM), "workflows", List.of("delta"))));
        assertEquals(1, found.size());
        Object delta = found.get(0);
        assertEquals(-1.0, Json.number(delta, "statistics.qualityDiffLower"));
        assertEquals(1.0, Json.number(delta, "statistics.qualityDiffUpper"));
        assertEquals(1.0, Json.number(delta, "statistics.pValue"));
        assertEquals("NEEDS_MORE_DATA", Json.at(delta, "verdict"));
        assertNull(Json.at(delta, "statistics.samplesNeeded"));
        // (1.00 − 0.10) × 1 call × 3, the interval collapsed to it
        assertEquals(2.7, Json.number(delta, "statistics.monthlySavingsLower"), 1e-9);
    }

    private static double variance(double[] values) {
        return new org.hipparchus.stat.descriptive.moment.Variance().evaluate(values);
    }

    private static Map<String, Double> rounded(Object interval) {
        Map<String, Double> out = new HashMap<>();
        for (String key : List.of("estimate", "lower", "upper")) {
            out.put(key, Math.round(Json.number(interval, key) * 10_000) / 10_000.0);
        }
        return out;
    }
}
