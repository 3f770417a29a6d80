package dev.aiusage.pricing;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

/** The custom and contract prices, few enough to be held in memory whole. */
@JdbcRepository(dialect = Dialect.ANSI)
interface CustomPriceRepository extends CrudRepository<CustomPrice, Long> {
    List<CustomPrice> findAllOrderById();
}
