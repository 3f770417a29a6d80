package dev.aiusage.people;

/**
 * Why one row of a batch or a CSV file was not stored: {@code index} is its position in the batch (from 0) or
 * its line in the file (from 1, the header being line 1), {@code field} the input at fault.
 */
public record RowProblem(int index, String field, String message) {
}
