package dev.aiusage.analysis.adoption;

import java.util.List;

/** The people with one status, their count and their share of everyone classified. */
public record StatusGroup(AdoptionStatus status, int count, double share, List<PersonAdoption> people) {
}
