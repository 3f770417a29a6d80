package dev.aiusage.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/** The scalars of the contract. */
public final class Scalars {
    private Scalars() {
    }

    /**
     * The extended-scalars {@code DateTime} (RFC 3339 with offset), taught to write the {@link Instant}s the
     * service keeps, in UTC.
     */
    @SuppressWarnings("unchecked")
    static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar(ExtendedScalars.DateTime)
            .coercing(new Coercing<Object, String>() {
                private final Coercing<Object, String> delegate = (Coercing<Object, String>) ExtendedScalars.DateTime.getCoercing();

                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) throws CoercingSerializeException {
                    Object utc = value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value;
                    return delegate.serialize(utc, context, locale);
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) throws CoercingParseValueException {
                    Object parsed = delegate.parseValue(input, context, locale);
                    if (!inRange(parsed)) {
                        throw new CoercingParseValueException(OUT_OF_RANGE);
                    }
                    return parsed;
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale)
                        throws CoercingParseLiteralException {
                    Object parsed = delegate.parseLiteral(input, variables, context, locale);
                    if (!inRange(parsed)) {
                        throw new CoercingParseLiteralException(OUT_OF_RANGE);
                    }
                    return parsed;
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return delegate.valueToLiteral(input, context, locale);
                }
            })
            .build();

    /** The instants a DateTime may name: no AI call happened before 1970, and years past 9999 overflow date arithmetic. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final String OUT_OF_RANGE = "A DateTime must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.";

    private static boolean inRange(Object parsed) {
        if (parsed instanceof OffsetDateTime value) {
            Instant instant = value.toInstant();
            return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
        }
        return true;
    }

    static final GraphQLScalarType DATE = ExtendedScalars.Date;
    static final GraphQLScalarType LONG = ExtendedScalars.GraphQLLong;

    public static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
