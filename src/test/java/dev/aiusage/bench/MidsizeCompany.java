package dev.aiusage.bench;

import dev.aiusage.demo.SyntheticUsage;
import dev.aiusage.ingest.UsageInput;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The usage of a mid-size company, deterministic by seed and record number: 24 teams of 25 people (600 users),
 * 32 workflows (10 shared by every team, such as code review and chat, each with two task types; 22 owned by one
 * team), 10 models from 4 providers at list prices, 40% of calls quality-scored. That makes about 2,600
 * team × workflow × task × model combinations, the variety under which a store's rollups stop being small.
 */
final class MidsizeCompany {
    static final int TEAMS = 24;
    static final int USERS_PER_TEAM = 25;
    static final int SHARED_WORKFLOWS = 10;
    static final int OWN_WORKFLOWS = 22;
    private static final double SCORED_SHARE = 0.4;

    record Model(String provider, String name, double inputPrice, double outputPrice, int latencyMs, double quality) {
    }

    record Workflow(String name, List<String> taskTypes, List<Model> models, int team, int inputTokens, int outputTokens) {
        boolean shared() {
            return team < 0;
        }
    }

    static final List<Model> MODELS = List.of(
            new Model("openai", "gpt-4o", 2.50, 10.00, 900, 0.88),
            new Model("openai", "gpt-4o-mini", 0.15, 0.60, 500, 0.81),
            new Model("openai", "o3-mini", 1.10, 4.40, 1400, 0.86),
            new Model("anthropic", "claude-3-5-sonnet", 3.00, 15.00, 1100, 0.90),
            new Model("anthropic", "claude-3-5-haiku", 0.80, 4.00, 600, 0.84),
            new Model("anthropic", "claude-3-haiku", 0.25, 1.25, 400, 0.80),
            new Model("google", "gemini-1.5-pro", 1.25, 5.00, 1000, 0.86),
            new Model("google", "gemini-1.5-flash", 0.075, 0.30, 350, 0.79),
            new Model("mistral", "mistral-large", 2.00, 6.00, 950, 0.83),
            new Model("mistral", "mistral-small", 0.20, 0.60, 450, 0.78));

    private static final List<String> TASKS = List.of("classify", "generate", "summarize", "extract", "codegen", "review", "chat", "translate");

    static final List<Workflow> WORKFLOWS = workflows();

    private static List<Workflow> workflows() {
        SplittableRandom random = new SplittableRandom(2026);
        List<Workflow> all = new ArrayList<>();
        for (int w = 0; w < SHARED_WORKFLOWS + OWN_WORKFLOWS; w++) {
            boolean shared = w < SHARED_WORKFLOWS;
            List<String> tasks = shared ? List.of(TASKS.get(w % TASKS.size()), TASKS.get((w + 3) % TASKS.size()))
                    : List.of(TASKS.get(w % TASKS.size()));
            List<Model> models = new ArrayList<>();
            int count = shared ? 5 : 4;
            for (int m = 0; m < count; m++) {
                models.add(MODELS.get((w * 3 + m * 7) % MODELS.size()));
            }
            all.add(new Workflow("wf-" + (shared ? "shared-" : "own-") + w, tasks, List.copyOf(models),
                    shared ? -1 : (w - SHARED_WORKFLOWS) % TEAMS, 500 + random.nextInt(6000), 100 + random.nextInt(900)));
        }
        return List.copyOf(all);
    }

    private final long seed;
    private final Instant end;
    private final long spanSeconds;

    MidsizeCompany(long seed, Instant end, int days) {
        this.seed = seed;
        this.end = end;
        this.spanSeconds = Duration.ofDays(days).toSeconds();
    }

    /** Record {@code i} of {@code n}, spread evenly over the span in time order, as calls are logged live. */
    UsageInput inOrder(long i, long n) {
        Instant ts = end.minusSeconds(spanSeconds).plusMillis((long) ((double) i / n * spanSeconds * 1000));
        return build(i, ts, random(i));
    }

    /** Record {@code i} at a random moment of the span: an old log replayed, in no order. */
    UsageInput anyTime(long i) {
        SplittableRandom random = random(i);
        return build(i, end.minusMillis(1 + random.nextLong(spanSeconds * 1000)), random);
    }

    private SplittableRandom random(long i) {
        return new SplittableRandom(seed * 1_000_003L + i);
    }

    private UsageInput build(long i, Instant ts, SplittableRandom random) {
        int team = random.nextInt(TEAMS);
        // half the calls go through a shared workflow, half through one of the team's own (teams without one use shared)
        List<Workflow> own = WORKFLOWS.stream().filter(w -> w.team() == team).toList();
        Workflow workflow = own.isEmpty() || random.nextBoolean()
                ? WORKFLOWS.get(random.nextInt(SHARED_WORKFLOWS)) : own.get(random.nextInt(own.size()));
        String task = workflow.taskTypes().get(random.nextInt(workflow.taskTypes().size()));
        // the first model of a workflow is its default: half the calls, the rest spread over the others
        Model model = random.nextBoolean() ? workflow.models().get(0) : workflow.models().get(random.nextInt(workflow.models().size()));
        int in = SyntheticUsage.tokens(workflow.inputTokens(), random);
        int out = SyntheticUsage.tokens(workflow.outputTokens(), random);
        double cost = (in * model.inputPrice() + out * model.outputPrice()) / 1_000_000;
        int latency = (int) (model.latencyMs() + out * 10 * (0.7 + 0.6 * random.nextDouble()));
        Double quality = null;
        Boolean passed = null;
        if (random.nextDouble() < SCORED_SHARE) {
            quality = Math.round(Math.max(0, Math.min(1, model.quality() + random.nextGaussian() * 0.06)) * 1000) / 1000.0;
            passed = quality >= 0.85;
        }
        String user = "team-" + team + "-user-" + random.nextInt(USERS_PER_TEAM);
        return new UsageInput(ts.atOffset(ZoneOffset.UTC), model.provider(), model.name(), "team-" + team, user, task,
                workflow.name(), in, out, Math.round(cost * 1e8) / 1e8, latency, quality, passed,
                "mid-" + seed + "-" + i, "mid-session-" + seed + "-" + (i / 15), null, null, null);
    }
}
