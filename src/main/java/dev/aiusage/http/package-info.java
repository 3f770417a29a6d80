/**
 * The REST endpoints and the HTTP error handlers that give every refusal a code.
 */
package dev.aiusage.http;
