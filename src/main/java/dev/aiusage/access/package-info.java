/**
 * API keys and roles, the filter that decides who is calling, and the narrowing of a TEAM key to its team.
 */
package dev.aiusage.access;
