package dev.aiusage.analysis.adoption;

import java.util.List;

/** SENIOR and above with no usage in the window: blocked (friction) apart from not engaging (access, no use). */
public record SeniorsAtZero(int count, List<PersonAdoption> blocked, List<PersonAdoption> notEngaging) {
}
