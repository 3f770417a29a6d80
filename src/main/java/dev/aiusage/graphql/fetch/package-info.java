/**
 * The data fetchers, one class per {@code schema/*.graphqls} domain. A fetcher reads its arguments, makes one
 * service call and returns; who may call it, and the wiring to the schema, are in {@code GraphQLFactory}.
 */
package dev.aiusage.graphql.fetch;
