package dev.aiusage.analysis;

import java.util.List;

/** One user of a team: calls, cost, their shares of the team's, the models used and the average quality. */
public record PowerUser(String user, String displayName, long calls, double cost, double callShare, double costShare,
                        List<String> models, Double avgQuality) {
}
