package dev.aiusage.people;

/** Seniority, in order; SENIOR and above are the "seniors" whose zero usage the adoption view calls out. */
public enum Level {
    JUNIOR, MID, SENIOR, STAFF, PRINCIPAL;

    public boolean senior() {
        return compareTo(SENIOR) >= 0;
    }
}
