package dev.aiusage.intake.otlp;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/**
 * Which span (or resource) attributes fill which field of a usage record, first present wins: the OpenTelemetry
 * GenAI semantic conventions' current names, then the older ones instrumentations still emit ({@code gen_ai.system},
 * {@code gen_ai.usage.prompt_tokens}), then OpenInference's ({@code llm.*}). Each list is configurable under
 * {@code aiusage.intake.otlp.attributes}; {@code aiusage.*} names are this service's own, for what the conventions
 * have no name for (team, task type, a reported cost, a quality score).
 */
@ConfigurationProperties("aiusage.intake.otlp.attributes")
public class SpanAttributes {
    private List<String> provider = List.of("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system");
    private List<String> model = List.of("gen_ai.response.model", "gen_ai.request.model", "llm.model_name");
    private List<String> operation = List.of("gen_ai.operation.name", "llm.request.type");
    private List<String> inputTokens = List.of("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt");
    private List<String> outputTokens = List.of("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion");
    private List<String> cacheReadTokens = List.of("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
            "llm.token_count.prompt_details.cache_read");
    private List<String> cacheWriteTokens = List.of("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
            "llm.token_count.prompt_details.cache_write");
    private List<String> reasoningTokens = List.of("gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning");
    private List<String> taskType = List.of("aiusage.task_type");
    private List<String> workflow = List.of("aiusage.workflow", "gen_ai.workflow.name", "gen_ai.agent.name");
    private List<String> session = List.of("gen_ai.conversation.id", "session.id");
    private List<String> quality = List.of("aiusage.quality_score", "gen_ai.evaluation.score.value");
    private List<String> passedQuality = List.of("aiusage.passed_quality");
    private List<String> requestId = List.of("gen_ai.response.id");
    private List<String> team = List.of("aiusage.team", "service.namespace");
    private List<String> user = List.of("user.id", "enduser.id");
    private List<String> cost = List.of("aiusage.cost_usd");
    private List<String> serviceTier = List.of("aiusage.service_tier", "openai.response.service_tier", "openai.request.service_tier");
    private List<String> promptTemplate = List.of("aiusage.prompt_template", "gen_ai.prompt.name");
    private List<String> promptVersion = List.of("aiusage.prompt_version");
    private List<String> errorType = List.of("error.type");
    /** Operations that are model calls; spans of other operations (agents, tools, workflows) are ignored. */
    private List<String> callOperations = List.of("chat", "generate_content", "text_completion", "embeddings", "completion", "embedding");

    public List<String> getProvider() { return provider; }
    public void setProvider(List<String> v) { provider = v; }
    public List<String> getModel() { return model; }
    public void setModel(List<String> v) { model = v; }
    public List<String> getOperation() { return operation; }
    public void setOperation(List<String> v) { operation = v; }
    public List<String> getInputTokens() { return inputTokens; }
    public void setInputTokens(List<String> v) { inputTokens = v; }
    public List<String> getOutputTokens() { return outputTokens; }
    public void setOutputTokens(List<String> v) { outputTokens = v; }
    public List<String> getCacheReadTokens() { return cacheReadTokens; }
    public void setCacheReadTokens(List<String> v) { cacheReadTokens = v; }
    public List<String> getCacheWriteTokens() { return cacheWriteTokens; }
    public void setCacheWriteTokens(List<String> v) { cacheWriteTokens = v; }
    public List<String> getReasoningTokens() { return reasoningTokens; }
    public void setReasoningTokens(List<String> v) { reasoningTokens = v; }
    public List<String> getTaskType() { return taskType; }
    public void setTaskType(List<String> v) { taskType = v; }
    public List<String> getWorkflow() { return workflow; }
    public void setWorkflow(List<String> v) { workflow = v; }
    public List<String> getSession() { return session; }
    public void setSession(List<String> v) { session = v; }
    public List<String> getQuality() { return quality; }
    public void setQuality(List<String> v) { quality = v; }
    public List<String> getPassedQuality() { return passedQuality; }
    public void setPassedQuality(List<String> v) { passedQuality = v; }
    public List<String> getRequestId() { return requestId; }
    public void setRequestId(List<String> v) { requestId = v; }
    public List<String> getTeam() { return team; }
    public void setTeam(List<String> v) { team = v; }
    public List<String> getUser() { return user; }
    public void setUser(List<String> v) { user = v; }
    public List<String> getCost() { return cost; }
    public void setCost(List<String> v) { cost = v; }
    public List<String> getServiceTier() { return serviceTier; }
    public void setServiceTier(List<String> v) { serviceTier = v; }
    public List<String> getPromptTemplate() { return promptTemplate; }
    public void setPromptTemplate(List<String> v) { promptTemplate = v; }
    public List<String> getPromptVersion() { return promptVersion; }
    public void setPromptVersion(List<String> v) { promptVersion = v; }
    public List<String> getErrorType() { return errorType; }
    public void setErrorType(List<String> v) { errorType = v; }
    public List<String> getCallOperations() { return callOperations; }
    public void setCallOperations(List<String> v) { callOperations = v; }
}
