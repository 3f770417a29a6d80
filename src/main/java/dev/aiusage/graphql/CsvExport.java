package dev.aiusage.graphql;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Formats;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a query's answer becomes CSV (RFC 4180, through commons-csv): the rows are the query's one root list, or
 * the one list field of its one root object ({@code usage}: its {@code rows}), or a connection's nodes; each row's
 * selected leaves are the columns, nested objects flattened into dotted headers ({@code measures.cost}), in the
 * order the query selects them. The headers come from the query, not the data, so every page and every row has
 * the same columns. A connection paged forward ({@code usageRecords}) is exported whole: after each page the
 * query runs again from that page's end cursor, so a month of records streams out a page at a time.
 */
final class CsvExport {
    /** The alias of the page info this export adds to a connection's selection. */
    static final String PAGE_INFO = "csvExportPageInfo";
    /** The variable this export passes each page's cursor in, when the query has none of its own. */
    static final String CURSOR = "csvExportAfter";

    private final String root;
    private final List<String> path;
    private final boolean edges;
    private final List<List<String>> columns;
    /** The query to run for every page (with page info and a cursor variable), or null when not paged. */
    private final String pagedQuery;
    private final String cursorVariable;

    private CsvExport(String root, List<String> path, boolean edges, List<List<String>> columns, String pagedQuery, String cursorVariable) {
        this.root = root;
        this.path = path;
        this.edges = edges;
        this.columns = columns;
        this.pagedQuery = pagedQuery;
        this.cursorVariable = cursorVariable;
    }

    /** Plans the export of {@code query}, or refuses (naming {@code query}) one that has no single list to export. */
    static CsvExport plan(String query, String operationName, GraphQLSchema schema) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (RuntimeException e) {
            return null; // execution reports the syntax error as usual
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        List<OperationDefinition> operations = new ArrayList<>();
        document.getDefinitions().forEach(d -> {
            if (d instanceof FragmentDefinition f) {
                fragments.put(f.getName(), f);
            } else if (d instanceof OperationDefinition o) {
                operations.add(o);
            }
        });
        OperationDefinition operation = operations.stream()
                .filter(o -> operationName == null ? operations.size() == 1 : operationName.equals(o.getName())).findFirst().orElse(null);
        if (operation == null || operation.getOperation() != OperationDefinition.Operation.QUERY) {
            return null; // execution reports a missing operation; a mutation is answered as JSON
        }
        List<Field> roots = fields(operation.getSelectionSet(), fragments);
        if (roots.size() != 1) {
            throw new BadInputException("query", "A CSV export needs a query with exactly one root field (besides __typename)");
        }
        Field field = roots.get(0);
        GraphQLFieldDefinition definition = schema.getQueryType().getFieldDefinition(field.getName());
        if (definition == null) {
            return null;
        }
        String rootName = alias(field);
        GraphQLType type = GraphQLTypeUtil.unwrapNonNull(definition.getType());
        List<String> path = new ArrayList<>();
        boolean edges = false;
        SelectionSet rowSelection;
        GraphQLType rowType;
        if (type instanceof GraphQLList) {
            rowSelection = field.getSelectionSet();
            rowType = GraphQLTypeUtil.unwrapAll(type);
        } else if (type instanceof GraphQLFieldsContainer object && field.getSelectionSet() != null) {
            List<Field> lists = fields(field.getSelectionSet(), fragments).stream()
                    .filter(f -> object.getFieldDefinition(f.getName()) != null
                            && GraphQLTypeUtil.unwrapNonNull(object.getFieldDefinition(f.getName()).getType()) instanceof GraphQLList)
                    .toList();
            if (lists.size() != 1) {
                throw new BadInputException("query", "A CSV export needs one list to write: select exactly one list field of " + field.getName());
            }
            Field list = lists.get(0);
            path.add(alias(list));
            rowType = GraphQLTypeUtil.unwrapAll(object.getFieldDefinition(list.getName()).getType());
            rowSelection = list.getSelectionSet();
            if (list.getName().equals("edges") && rowType instanceof GraphQLFieldsContainer edge && edge.getFieldDefinition("node") != null) {
                Field node = fields(list.getSelectionSet(), fragments).stream().filter(f -> f.getName().equals("node")).findFirst()
                        .orElseThrow(() -> new BadInputException("query", "A CSV export of a connection writes its nodes: select edges { node { ... } }"));
                edges = true;
                path.add(alias(node));
                rowSelection = node.getSelectionSet();
                rowType = GraphQLTypeUtil.unwrapAll(edge.getFieldDefinition("node").getType());
            }
        } else {
            throw new BadInputException("query", "A CSV export needs a root field that is a list or holds one; " + field.getName() + " does not");
        }
        List<List<String>> columns = new ArrayList<>();
        if (rowSelection == null) {
            columns.add(List.of());
        } else {
            flatten(rowSelection, rowType, fragments, new ArrayList<>(), columns);
        }
        String paged = null;
        String cursorVariable = null;
        boolean backward = field.getArguments().stream().anyMatch(a -> a.getName().equals("last") || a.getName().equals("before"));
        boolean direct = operation.getSelectionSet().getSelections().contains(field);
        if (edges && !backward && direct && definition.getArgument("after") != null) {
            Argument after = field.getArguments().stream().filter(a -> a.getName().equals("after")).findFirst().orElse(null);
            List<Argument> arguments = new ArrayList<>(field.getArguments());
            List<VariableDefinition> variables = new ArrayList<>(operation.getVariableDefinitions());
            if (after != null && after.getValue() instanceof VariableReference reference) {
                cursorVariable = reference.getName();
            } else {
                cursorVariable = CURSOR;
                arguments.remove(after);
                arguments.add(new Argument("after", new VariableReference(CURSOR)));
                variables.add(new VariableDefinition(CURSOR, new TypeName("String")));
            }
            Field pageInfo = Field.newField("pageInfo").alias(PAGE_INFO).selectionSet(SelectionSet.newSelectionSet()
                    .selection(new Field("hasNextPage")).selection(new Field("endCursor")).build()).build();
            Field pagedField = field.transform(b -> b.arguments(arguments)
                    .selectionSet(field.getSelectionSet().transform(s -> s.selection(pageInfo))));
            List<Selection> top = new ArrayList<>(operation.getSelectionSet().getSelections());
            top.set(top.indexOf(field), pagedField);
            OperationDefinition pagedOperation = operation.transform(b -> b.variableDefinitions(variables)
                    .selectionSet(SelectionSet.newSelectionSet(top).build()));
            List<graphql.language.Definition> definitions = new ArrayList<>(document.getDefinitions());
            definitions.set(definitions.indexOf(operation), pagedOperation);
            paged = AstPrinter.printAstCompact(document.transform(b -> b.definitions(definitions)));
        }
        return new CsvExport(rootName, path, edges, columns, paged, cursorVariable);
    }

    /** The query to run for a page: the paged one, when the export pages, else {@code query} itself. */
    String firstQuery(String query) {
        return pagedQuery == null ? query : pagedQuery;
    }

    /** The variables of the page after {@code cursor}. */
    Map<String, Object> variables(Map<String, Object> variables, String cursor) {
        if (pagedQuery == null) {
            return variables;
        }
        Map<String, Object> page = variables == null ? new HashMap<>() : new HashMap<>(variables);
        page.put(cursorVariable, cursor);
        return page;
    }

    /** The end cursor to read the next page from, or null when the answer holds the last page. */
    @SuppressWarnings("unchecked")
    String nextCursor(Map<String, Object> data) {
        if (pagedQuery == null || !(data.get(root) instanceof Map<?, ?> value) || !(value.get(PAGE_INFO) instanceof Map<?, ?> info)) {
            return null;
        }
        return Boolean.TRUE.equals(info.get("hasNextPage")) ? (String) info.get("endCursor") : null;
    }

    /** The file name a download of this export suggests. */
    String fileName() {
        return root + ".csv";
    }

    /** The header line. */
    String header() {
        return print(List.of(columns.stream().map(c -> c.isEmpty() ? root : String.join(".", c)).toList()));
    }

    /** The rows of one page's answer, as CSV lines. */
    String rows(Map<String, Object> data) {
        Object value = data.get(root);
        List<Object> rows = new ArrayList<>();
        if (path.isEmpty()) {
            if (value instanceof List<?> list) {
                rows.addAll(list);
            }
        } else if (value instanceof Map<?, ?> map && map.get(path.get(0)) instanceof List<?> list) {
            for (Object item : list) {
                rows.add(edges && item instanceof Map<?, ?> edge ? edge.get(path.get(1)) : item);
            }
        }
        List<List<String>> lines = new ArrayList<>(rows.size());
        for (Object row : rows) {
            List<String> cells = new ArrayList<>(columns.size());
            for (List<String> column : columns) {
                cells.add(cell(row, column));
            }
            lines.add(cells);
        }
        return print(lines);
    }

    private static String cell(Object row, List<String> column) {
        Object value = row;
        for (String step : column) {
            value = value instanceof Map<?, ?> map ? map.get(step) : null;
        }
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return Formats.plain(d);
        }
        return String.valueOf(value);
    }

    private static String print(List<List<String>> lines) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            for (List<String> line : lines) {
                printer.printRecord(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The leaves under {@code selection}, each as its path of aliases, objects flattened, lists kept as one cell. */
    private static void flatten(SelectionSet selection, GraphQLType type, Map<String, FragmentDefinition> fragments, List<String> prefix,
                                List<List<String>> columns) {
        for (Field field : fields(selection, fragments)) {
            List<String> path = new ArrayList<>(prefix);
            path.add(alias(field));
            GraphQLFieldDefinition definition = type instanceof GraphQLFieldsContainer container ? container.getFieldDefinition(field.getName()) : null;
            GraphQLType fieldType = definition == null ? null : GraphQLTypeUtil.unwrapNonNull(definition.getType());
            if (field.getSelectionSet() != null && fieldType instanceof GraphQLFieldsContainer) {
                flatten(field.getSelectionSet(), fieldType, fragments, path, columns);
            } else if (!columns.contains(path)) {
                columns.add(path);
            }
        }
    }

    /** The fields a selection set selects, fragments spread in, in order, {@code __typename} left out at the top. */
    private static List<Field> fields(SelectionSet selection, Map<String, FragmentDefinition> fragments) {
        List<Field> fields = new ArrayList<>();
        if (selection == null) {
            return fields;
        }
        for (Selection<?> s : selection.getSelections()) {
            if (s instanceof Field f) {
                if (f.getName().equals("__typename")) {
                    continue;
                }
                int same = -1;
                for (int i = 0; i < fields.size(); i++) {
                    if (alias(fields.get(i)).equals(alias(f))) {
                        same = i;
                    }
                }
                if (same < 0) {
                    fields.add(f);
                } else if (fields.get(same).getSelectionSet() != null && f.getSelectionSet() != null) {
                    // the same field selected twice (a fragment and the query, say): its selections merge, as in execution
                    Field earlier = fields.get(same);
                    List<Selection> merged = new ArrayList<>(earlier.getSelectionSet().getSelections());
                    merged.addAll(f.getSelectionSet().getSelections());
                    fields.set(same, earlier.transform(b -> b.selectionSet(SelectionSet.newSelectionSet(merged).build())));
                }
            } else if (s instanceof InlineFragment inline) {
                fields.addAll(fields(inline.getSelectionSet(), fragments));
            } else if (s instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                fields.addAll(fields(fragments.get(spread.getName()).getSelectionSet(), fragments));
            }
        }
        return fields;
    }

    private static String alias(Field field) {
        return field.getAlias() != null ? field.getAlias() : field.getName();
    }
}
