package dev.twine.fakes;

/** How a connection ended, from the fake's side. */
public enum Ending {
    /** Still open. */
    OPEN,
    /** The fake closed it cleanly (FIN) first. */
    CLOSED_BY_FAKE,
    /** The peer closed it cleanly (end of stream) first; the fake then closed too. */
    CLOSED_BY_PEER,
    /** The fake reset it (RST). */
    RESET_BY_FAKE,
    /** The peer reset it, or it failed on an I/O error. */
    RESET_BY_PEER
}
