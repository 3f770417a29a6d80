package dev.aiusage.graphql;

import dev.aiusage.access.ForbiddenException;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.ErrorBodies;
import dev.aiusage.domain.ErrorCode;
import dev.aiusage.domain.NotConfiguredException;
import dev.aiusage.domain.OutsideRetentionException;
import dev.aiusage.domain.QueryTimeoutException;
import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns what a fetcher throws into a GraphQL error a client can act on. Bad input keeps its message and
 * names the field; anything else is logged with a reference and reaches the client as a generic message,
 * never as SQL, a class name or a stack trace.
 */
final class DomainErrorHandler implements DataFetcherExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DomainErrorHandler.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters params) {
        Throwable failure = unwrap(params.getException());
        GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError(params.getDataFetchingEnvironment());
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (failure instanceof BadInputException bad) {
            extensions.put(ErrorCode.CODE, ErrorCode.BAD_USER_INPUT.name());
            extensions.put(ErrorCode.FIELD, bad.field());
            error.message(bad.getMessage());
        } else if (failure instanceof ForbiddenException forbidden) {
            extensions.put(ErrorCode.CODE, ErrorCode.FORBIDDEN.name());
            if (forbidden.field() != null) {
                extensions.put(ErrorCode.FIELD, forbidden.field());
            }
            error.message(forbidden.getMessage());
        } else if (failure instanceof NotConfiguredException missing) {
            extensions.put(ErrorCode.CODE, ErrorCode.NOT_CONFIGURED.name());
            extensions.put("setting", missing.setting());
            error.message(missing.getMessage());
        } else if (failure instanceof OutsideRetentionException gone) {
            extensions.put(ErrorCode.CODE, ErrorCode.OUTSIDE_RETENTION.name());
            extensions.put(ErrorCode.FIELD, gone.field());
            extensions.put("rawFrom", gone.rawFrom().toString());
            error.message(gone.getMessage());
        } else if (failure instanceof QueryTimeoutException timeout) {
            extensions.put(ErrorCode.CODE, ErrorCode.QUERY_TIMEOUT.name());
            extensions.put("budgetMs", timeout.budget().toMillis());
            error.message(timeout.getMessage());
        } else {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Unexpected failure in {} (reference {})", params.getPath(), reference, failure);
            extensions.put(ErrorCode.CODE, ErrorCode.INTERNAL.name());
            extensions.put("reference", reference);
            error.message(ErrorBodies.internalMessage(reference));
        }
        String code = (String) extensions.get(ErrorCode.CODE);
        GraphQLError built = error.errorType(ErrorClassification.errorClassification(code)).extensions(extensions).build();
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(built).build());
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof UndeclaredThrowableException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
