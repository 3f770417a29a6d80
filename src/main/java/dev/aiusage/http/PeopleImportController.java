package dev.aiusage.http;

import dev.aiusage.access.AccessFilter;
import dev.aiusage.people.CsvImportResult;
import dev.aiusage.people.PeopleService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * CSV imports of HR and IAM exports, for {@code curl --data-binary @file.csv}: every good line is stored, every
 * bad one is listed with its line number and the field at fault. ADMIN only.
 */
@Controller("/people")
@ExecuteOn(TaskExecutors.IO)
class PeopleImportController {
    private final PeopleService people;

    PeopleImportController(PeopleService people) {
        this.people = people;
    }

    /** {@code user,display_name,team,level,start_date}: adds people or updates them by user. */
    @Post(value = "/import", consumes = {"text/csv", MediaType.TEXT_PLAIN})
    CsvImportResult importPeople(HttpRequest<?> request, @Body String csv) {
        AccessFilter.of(request).requireAdmin();
        return people.importPeople(csv);
    }

    /** {@code user,event,at[,note]} with event requested, granted or revoked. */
    @Post(value = "/access/import", consumes = {"text/csv", MediaType.TEXT_PLAIN})
    CsvImportResult importAccessEvents(HttpRequest<?> request, @Body String csv) {
        AccessFilter.of(request).requireAdmin();
        return people.importAccessEvents(csv);
    }
}
