/**
 * Who uses AI, who has access and does not, who waits, and whom to pair: adoption from the people
 * directory, access events and usage.
 */
package dev.aiusage.analysis.adoption;
