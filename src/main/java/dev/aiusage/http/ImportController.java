package dev.aiusage.http;

import dev.aiusage.access.AccessFilter;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.ErrorCode;
import dev.aiusage.intake.IntakeGate;
import dev.aiusage.intake.bulk.BulkImporter;
import dev.aiusage.intake.bulk.ImportProgress;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.InputStream;
import java.util.List;

/**
 * Bulk import of history over HTTP: {@code curl -T usage.csv -H 'Content-Type: text/csv' http://host:8080/import}.
 * The body is streamed, never held whole; the answer is the summary, and {@code GET /import} shows the running
 * imports' progress meanwhile. ADMIN or INGEST keys post; any key but INGEST reads progress.
 */
@Controller("/import")
@ExecuteOn(TaskExecutors.BLOCKING)
class ImportController {
    private final BulkImporter importer;
    private final IntakeGate gate;

    ImportController(BulkImporter importer, IntakeGate gate) {
        this.importer = importer;
        this.gate = gate;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> importFile(HttpRequest<?> request, @Body InputStream body, @Nullable @QueryValue String format, @Nullable @QueryValue String name,
                               @Nullable @QueryValue String team, @Nullable @QueryValue String taskType, @Nullable @QueryValue String provider) {
        AccessFilter.of(request).requireWrite();
        BulkImporter.Format chosen = format != null ? BulkImporter.Format.of(format)
                : BulkImporter.Format.of(request.getContentType().map(MediaType::getName).orElse(null));
        if (chosen == null) {
            throw new BadInputException("format", format != null ? "format must be jsonl or csv"
                    : "say the format: ?format=jsonl or ?format=csv, or Content-Type text/csv or application/x-ndjson");
        }
        try (IntakeGate.Permit permit = gate.tryImport()) {
            if (permit == null) {
                return Refusals.respond(request, ErrorCode.TOO_MANY_REQUESTS, null, "Imports are running at the limit of concurrent imports; retry later.")
                        .header(HttpHeaders.RETRY_AFTER, "10");
            }
            long length = request.getContentLength();
            ImportProgress summary = importer.run(body, new BulkImporter.Options(name, chosen, team, taskType, provider, length >= 0 ? length : null),
                    progress -> { });
            return HttpResponse.ok(summary);
        }
    }

    /** The running imports and the last finished ones, newest first. */
    @Get(produces = MediaType.APPLICATION_JSON)
    List<ImportProgress> jobs(HttpRequest<?> request) {
        AccessFilter.of(request).requireRead();
        return importer.jobs();
    }

    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> job(HttpRequest<?> request, @PathVariable String id) {
        AccessFilter.of(request).requireRead();
        return importer.job(id).<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> Refusals.respond(request, ErrorCode.NOT_FOUND, "id", "No import with this id is kept (the last 20 are)."));
    }
}
