package io.telltale.server.balance;

/** Orders a group's origins for one request: the first is tried first, the others in turn when it fails. */
interface OriginPicker {
    /** Returns every origin index once, in the order to try them; {@code key} matters only to hashing. */
    int[] order(String key);
}
