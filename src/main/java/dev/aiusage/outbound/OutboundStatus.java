package dev.aiusage.outbound;

/** Where a message stands; SENT and FAILED are final. */
public enum OutboundStatus {
    PENDING, SENDING, RETRYING, SENT, FAILED
}
