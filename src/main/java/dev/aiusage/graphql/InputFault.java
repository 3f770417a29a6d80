package dev.aiusage.graphql;

import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLType;

import java.util.List;
import java.util.Map;

/**
 * Where a variable's value breaks its input type's shape: the first field it names that the type does not
 * have, or the first required field it leaves out or sets to null. Found by walking the value against the
 * schema, since graphql-java reports these as a message about the whole variable.
 */
final class InputFault {
    private InputFault() {
    }

    static String find(GraphQLInputType type, Object value) {
        GraphQLType unwrapped = type instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : type;
        if (value == null) {
            return null;
        }
        if (unwrapped instanceof GraphQLList list) {
            if (value instanceof List<?> items) {
                for (Object item : items) {
                    String fault = find((GraphQLInputType) list.getWrappedType(), item);
                    if (fault != null) {
                        return fault;
                    }
                }
                return null;
            }
            return find((GraphQLInputType) list.getWrappedType(), value);
        }
        if (!(unwrapped instanceof GraphQLInputObjectType object) || !(value instanceof Map<?, ?> map)) {
            return null;
        }
        for (Object key : map.keySet()) {
            if (object.getField(String.valueOf(key)) == null) {
                return String.valueOf(key);
            }
        }
        for (GraphQLInputObjectField field : object.getFields()) {
            boolean required = field.getType() instanceof GraphQLNonNull;
            boolean given = map.containsKey(field.getName());
            if (required && (given ? map.get(field.getName()) == null : !field.hasSetDefaultValue())) {
                return field.getName();
            }
            if (given) {
                String fault = find(field.getType(), map.get(field.getName()));
                if (fault != null) {
                    return fault;
                }
            }
        }
        return null;
    }
}
