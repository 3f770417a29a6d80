package dev.aiusage.analysis.adoption;

import java.util.List;

/** A senior to pair with an active peer on live problems, and why this peer. */
public record Pairing(PersonAdoption senior, PersonAdoption peer, boolean sameTeam, List<String> sharedWorkflows, String reason) {
}
