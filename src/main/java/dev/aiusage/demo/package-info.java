/**
 * Demo mode: the synthetic usage and people generators and the loader, for an in-memory database only.
 */
package dev.aiusage.demo;
