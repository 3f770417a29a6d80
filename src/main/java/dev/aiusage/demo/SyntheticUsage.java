package dev.aiusage.demo;

import dev.aiusage.ingest.UsageInput;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic, deterministic usage: the same seed, end and span always give the same records. Teams run named
 * workflows on a mix of models with real list prices per million tokens; part of the calls are quality-scored,
 * and some cheap models score as well as dear ones on the same task, so substitution analysis has something
 * to find.
 */
public final class SyntheticUsage {

    /** A model with its provider and list prices in US dollars per million tokens. */
    record Model(String provider, String name, double inputPrice, double outputPrice, int baseLatencyMs) {
    }

    /** A model as one workflow uses it: how often it is picked and how well it does there. */
    record Choice(Model model, double weight, double quality) {
    }

    record Workflow(String team, String name, String taskType, int inputTokens, int outputTokens, List<Choice> choices) {
    }

    static final Model GPT_4O = new Model("openai", "gpt-4o", 2.50, 10.00, 900);
    static final Model GPT_4O_MINI = new Model("openai", "gpt-4o-mini", 0.15, 0.60, 500);
    static final Model SONNET = new Model("anthropic", "claude-3-5-sonnet", 3.00, 15.00, 1100);
    static final Model HAIKU_35 = new Model("anthropic", "claude-3-5-haiku", 0.80, 4.00, 600);
    static final Model HAIKU_3 = new Model("anthropic", "claude-3-haiku", 0.25, 1.25, 400);
    static final Model FLASH = new Model("google", "gemini-1.5-flash", 0.075, 0.30, 350);

    static final List<Workflow> WORKFLOWS = List.of(
            new Workflow("support", "ticket-triage", "classify", 900, 40,
                    List.of(new Choice(GPT_4O, 0.6, 0.91), new Choice(HAIKU_3, 0.4, 0.90))),
            new Workflow("support", "reply-drafting", "generate", 1800, 450,
                    List.of(new Choice(SONNET, 0.7, 0.88), new Choice(GPT_4O_MINI, 0.3, 0.76))),
            new Workflow("marketing", "blog-drafts", "generate", 1200, 1500,
                    List.of(new Choice(GPT_4O, 0.5, 0.86), new Choice(SONNET, 0.5, 0.89))),
            new Workflow("marketing", "seo-briefs", "summarize", 3000, 300,
                    List.of(new Choice(GPT_4O, 0.5, 0.84), new Choice(HAIKU_35, 0.3, 0.85), new Choice(FLASH, 0.2, 0.71))),
            new Workflow("data-science", "sql-assistant", "codegen", 2500, 350,
                    List.of(new Choice(SONNET, 0.8, 0.92), new Choice(GPT_4O_MINI, 0.2, 0.81))),
            new Workflow("data-science", "report-summaries", "summarize", 6000, 500,
                    List.of(new Choice(GPT_4O, 0.4, 0.87), new Choice(GPT_4O_MINI, 0.6, 0.86))),
            new Workflow("platform", "code-review", "review", 4000, 600,
                    List.of(new Choice(SONNET, 0.9, 0.90), new Choice(HAIKU_35, 0.1, 0.83))),
            new Workflow("platform", "incident-summaries", "summarize", 5000, 400,
                    List.of(new Choice(SONNET, 0.5, 0.88), new Choice(HAIKU_35, 0.5, 0.87))),
            new Workflow("legal", "contract-review", "extract", 12000, 800,
                    List.of(new Choice(GPT_4O, 0.7, 0.93), new Choice(FLASH, 0.3, 0.78))),
            new Workflow("sales", "lead-research", "summarize", 2000, 350,
                    List.of(new Choice(GPT_4O_MINI, 0.7, 0.82), new Choice(FLASH, 0.3, 0.81))),
            new Workflow("sales", "email-personalization", "generate", 700, 250,
                    List.of(new Choice(GPT_4O, 0.5, 0.85), new Choice(GPT_4O_MINI, 0.5, 0.84))));

    private static final double SCORED_SHARE = 0.4;
    private static final double PASS_THRESHOLD = 0.85;
    static final int USERS_PER_TEAM = 6;

    private final long seed;
    private final Instant end;
    private final long spanSeconds;

    /** Records spread over the {@code days} days before {@code end}. */
    public SyntheticUsage(long seed, Instant end, int days) {
        this.seed = seed;
        this.end = end;
        this.spanSeconds = Duration.ofDays(days).toSeconds();
    }

    /** Record number {@code i} at a random time of the span; each record depends only on the seed and its number. */
    public UsageInput record(long i) {
        SplittableRandom random = random(i);
        Instant ts = end.minusSeconds(1 + random.nextLong(spanSeconds));
        // weekends see a third of the traffic: drop two thirds of weekend calls onto the previous Friday
        int weekday = ts.atOffset(ZoneOffset.UTC).getDayOfWeek().getValue();
        if (weekday >= 6 && random.nextDouble() < 0.66) {
            ts = ts.minus(Duration.ofDays(weekday - 5L));
        }
        return build(i, ts, random);
    }

    /**
     * Record number {@code i} of {@code n} spread evenly over the span in time order, as a logging pipeline
     * sends calls while they happen.
     */
    public UsageInput recordInOrder(long i, long n) {
        SplittableRandom random = random(i);
        Instant ts = end.minusSeconds(spanSeconds).plusMillis((long) ((double) i / n * spanSeconds * 1000));
        return build(i, ts, random);
    }

    private SplittableRandom random(long i) {
        return new SplittableRandom(seed * 1_000_003L + i);
    }

    private UsageInput build(long i, Instant ts, SplittableRandom random) {
        Workflow workflow = WORKFLOWS.get(random.nextInt(WORKFLOWS.size()));
        Choice choice = pick(workflow.choices(), random.nextDouble());
        Model model = choice.model();
        int in = tokens(workflow.inputTokens(), random);
        int out = tokens(workflow.outputTokens(), random);
        double cost = (in * model.inputPrice() + out * model.outputPrice()) / 1_000_000;
        int latency = (int) (model.baseLatencyMs() + out * 12 * (0.7 + 0.6 * random.nextDouble()));

        Double quality = null;
        Boolean passed = null;
        if (random.nextDouble() < SCORED_SHARE) {
            quality = Math.max(0, Math.min(1, choice.quality() + random.nextGaussian() * 0.05));
            quality = Math.round(quality * 1000) / 1000.0;
            passed = quality >= PASS_THRESHOLD;
        }
        String user = workflow.team() + "-user-" + (1 + random.nextInt(USERS_PER_TEAM));
        return new UsageInput(ts.atOffset(ZoneOffset.UTC), model.provider(), model.name(), workflow.team(), user,
                workflow.taskType(), workflow.name(), in, out, Math.round(cost * 1e8) / 1e8, latency, quality, passed,
                "demo-" + seed + "-" + i, "demo-session-" + seed + "-" + (i / 20), null, null, null);
    }

    private static Choice pick(List<Choice> choices, double u) {
        double acc = 0;
        for (Choice c : choices) {
            acc += c.weight();
            if (u < acc) {
                return c;
            }
        }
        return choices.get(choices.size() - 1);
    }

    /** Around the mean, skewed to the right as prompt sizes are. */
    public static int tokens(int mean, SplittableRandom random) {
        double factor = Math.exp(random.nextGaussian() * 0.4 - 0.08);
        return Math.max(1, (int) Math.round(mean * factor));
    }
}
