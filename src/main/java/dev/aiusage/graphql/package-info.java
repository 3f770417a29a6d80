/**
 * The GraphQL layer: the one place fields are wired to fetchers ({@code GraphQLFactory}), scalars, limits,
 * error codes, and the pools operations run on, off the event loop.
 */
package dev.aiusage.graphql;
