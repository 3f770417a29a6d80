package dev.aiusage.intake.otlp;

import dev.aiusage.ingest.RejectedUsage;
import dev.aiusage.intake.IntakeResult;
import dev.aiusage.intake.IntakeService;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** An OTLP trace export in, its model-call spans stored (or kept apart as failures), OTLP's answer out. */
@Singleton
public class OtlpReceiver {
    private final SpanMapper mapper;
    private final IntakeService intake;

    OtlpReceiver(SpanMapper mapper, IntakeService intake) {
        this.mapper = mapper;
        this.intake = intake;
    }

    /** What an export did, and the partial-success message OTLP's answer carries (empty when nothing was refused). */
    public record Received(IntakeResult result, String message) {
    }

    public Received receive(byte[] body, boolean json) {
        SpanMapper.Mapped mapped = mapper.map(OtlpCodec.decode(body, json));
        IntakeResult result = intake.take(mapped.items(), mapped.ignored(), mapper::attributeOf);
        return new Received(result, summary(result));
    }

    /** The reasons spans were rejected, each with its count: "2 spans rejected: ... (1); ... (1)". No value is echoed. */
    private static String summary(IntakeResult result) {
        if (result.rejected().isEmpty()) {
            return "";
        }
        Map<String, Long> reasons = result.rejected().stream().limit(10_000)
                .collect(Collectors.groupingBy(RejectedUsage::message, LinkedHashMap::new, Collectors.counting()));
        String listed = reasons.entrySet().stream().limit(10).map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; "));
        return result.rejected().size() + (result.rejected().size() == 1 ? " span" : " spans") + " rejected: " + listed
                + (reasons.size() > 10 ? "; and other reasons" : "");
    }
}
