package dev.aiusage.billing;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/** The imported bill lines. */
@JdbcRepository(dialect = Dialect.ANSI)
interface BilledCostRepository extends CrudRepository<BilledCost, String> {
    List<BilledCost> findByLineKeyIn(Collection<String> lineKeys);

    /** The lines of the days {@code from <= day < to}. */
    List<BilledCost> findByBillDayGreaterThanEqualsAndBillDayLessThan(LocalDate from, LocalDate to);
}
