package io.telltale.server.cli;

/** Placeholder entry point replaced once the command line lands. */
public final class TelltaleCommand {
    public static void main(String[] args) {
    }
}
