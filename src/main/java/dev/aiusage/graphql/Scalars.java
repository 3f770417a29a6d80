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
final class Scalars {
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
                    return delegate.parseValue(input, context, locale);
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale)
                        throws CoercingParseLiteralException {
                    return delegate.parseLiteral(input, variables, context, locale);
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return delegate.valueToLiteral(input, context, locale);
                }
            })
            .build();

    static final GraphQLScalarType DATE = ExtendedScalars.Date;
    static final GraphQLScalarType LONG = ExtendedScalars.GraphQLLong;

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
