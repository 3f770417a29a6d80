/**
 * The values every stage shares: filter, window, names, number formats and the client-error exceptions.
 */
package dev.aiusage.domain;
