package dev.aiusage.graphql.fetch;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import dev.aiusage.graphql.Scalars;
import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.UsageInput;
import dev.aiusage.pricing.CustomPrices;
import dev.aiusage.pricing.LongContextTier;
import dev.aiusage.pricing.PriceCatalog;
import dev.aiusage.pricing.PriceView;
import dev.aiusage.pricing.Quote;
import dev.aiusage.pricing.Rates;
import dev.aiusage.pricing.Repricing;
import dev.aiusage.pricing.ServiceTier;
import dev.aiusage.pricing.UnpricedReport;
import dev.aiusage.store.Repricer;
import dev.aiusage.store.UsageRecord;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fetchers of {@code schema/pricing.graphqls}: the price catalog, custom prices, quotes, unpriced usage and
 * repricing; and a stored record's service tier and cost source. Each reads its arguments, makes one service call
 * and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class PricingFetchers {
    private final PriceCatalog catalog;
    private final CustomPrices customs;
    private final Repricing repricing;
    private final UnpricedReport unpriced;
    private final IngestService ingest;
    private final Clock clock;

    PricingFetchers(PriceCatalog catalog, CustomPrices customs, Repricing repricing, UnpricedReport unpriced, IngestService ingest,
                    Clock clock) {
        this.catalog = catalog;
        this.customs = customs;
        this.repricing = repricing;
        this.unpriced = unpriced;
        this.ingest = ingest;
        this.clock = clock;
    }

    public Map<String, Object> priceCatalog(DataFetchingEnvironment env) {
        Map<String, Object> info = new LinkedHashMap<>(catalog.source());
        info.put("source", catalog.source().get("name"));
        info.put("commitDate", LocalDate.parse((String) catalog.source().get("commitDate")));
        info.put("converted", LocalDate.parse((String) catalog.source().get("converted")));
        info.put("providers", catalog.shippedProviders());
        info.put("models", catalog.shippedModels());
        info.put("customPrices", customs.list().size());
        return info;
    }

    public List<PriceView> customPrices(DataFetchingEnvironment env) {
        return customs.list().stream().map(PriceView::custom).toList();
    }

    public List<PriceView> prices(DataFetchingEnvironment env) {
        return catalog.prices(Names.require("provider", env.getArgument("provider")), Names.require("model", env.getArgument("model")));
    }

    public Map<String, Object> priceQuote(DataFetchingEnvironment env) {
        Map<String, Object> call = env.getArgument("call");
        String provider = (String) call.get("provider");
        String model = (String) call.get("model");
        // a quote needs no team or task type; the rest is checked as recordUsage checks it
        Quote quote = ingest.quote(new UsageInput((OffsetDateTime) call.get("ts"), provider, model, "quote", null, "quote", null,
                (Integer) call.get("inputTokens"), (Integer) call.get("outputTokens"), null, null, null, null, null, null,
                null, null, null, (Integer) call.get("cacheReadTokens"), (Integer) call.get("cacheWriteTokens"),
                (Integer) call.get("cacheWrite1hTokens"), (Integer) call.get("reasoningTokens"), (String) call.get("serviceTier")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("priced", quote.priced());
        answer.put("costUsd", quote.cost());
        answer.put("parts", quote.parts());
        answer.put("price", catalog.priceOf(quote, provider, model));
        answer.put("priceRef", quote.ref());
        answer.put("factor", quote.factor());
        answer.put("reason", quote.unpricedReason());
        return answer;
    }

    public List<UnpricedReport.UnpricedModel> unpricedUsage(DataFetchingEnvironment env) {
        return unpriced.unpriced(Arguments.window(env, clock), Arguments.filter(env));
    }

    public PriceView setCustomPrice(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        List<LongContextTier> tiers = new ArrayList<>();
        List<Map<String, Object>> longContext = list(in.get("longContext"));
        for (Map<String, Object> tier : longContext) {
            tiers.add(new LongContextTier((Long) tier.get("aboveInputTokens"), rates(map(tier.get("rates")))));
        }
        String tier = (String) in.get("serviceTier");
        return PriceView.custom(customs.set(new CustomPrices.Input((String) in.get("provider"), (String) in.get("model"),
                list(in.get("aliases")), (String) in.get("pattern"), (Integer) in.get("priority"),
                Scalars.instant((OffsetDateTime) in.get("effectiveFrom")), Scalars.instant((OffsetDateTime) in.get("effectiveTo")),
                tier == null ? null : ServiceTier.valueOf(tier), rates(map(in.get("rates"))), longContext.isEmpty() ? null : tiers,
                (String) in.get("note"))));
    }

    public boolean deleteCustomPrice(DataFetchingEnvironment env) {
        String id = env.getArgument("id");
        String digits = id.startsWith("custom:") ? id.substring("custom:".length()) : id;
        try {
            return customs.delete(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new BadInputException("id", "id is not the id of a custom price");
        }
    }

    public Repricer.Result repriceUsage(DataFetchingEnvironment env) {
        return repricing.reprice(Scalars.instant(env.getArgument("from")), Scalars.instant(env.getArgument("to")));
    }

    /** A stored record's service tier by name ({@code STANDARD} when stored as null). */
    public static String serviceTier(DataFetchingEnvironment env) {
        UsageRecord record = env.getSource();
        return ServiceTier.ofStored(record.serviceTier()).name();
    }

    /** A stored record's cost source by name. */
    public static String costSource(DataFetchingEnvironment env) {
        UsageRecord record = env.getSource();
        return switch (record.costSource()) {
            case UsageRecord.REPORTED -> "REPORTED";
            case UsageRecord.CATALOG -> "CATALOG";
            default -> "UNPRICED";
        };
    }

    /** GraphQL Floats as exact decimals of their shortest form (0.3 is 0.3, not 0.29999…). */
    private static Rates rates(Map<String, Object> in) {
        return new Rates(decimal(in.get("input")), decimal(in.get("cacheRead")), decimal(in.get("cacheWrite")),
                decimal(in.get("cacheWrite1h")), decimal(in.get("output")), decimal(in.get("reasoning")), decimal(in.get("perRequest")));
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : BigDecimal.valueOf((Double) value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value) {
        return value == null ? List.of() : (List<T>) value;
    }
}
