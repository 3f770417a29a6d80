package dev.aiusage.budget;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

/** The budgets, few: read whole. */
@JdbcRepository(dialect = Dialect.ANSI)
interface BudgetRepository extends CrudRepository<Budget, Long> {
    Optional<Budget> findByScopeAndTargetAndPeriod(String scope, String target, String period);

    List<Budget> findAllOrderById();

    List<Budget> findByScopeAndTargetOrderById(String scope, String target);
}
