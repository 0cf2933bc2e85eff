package io.telltale.server.lab.origin;

import java.util.List;

/**
 * How a command run by {@link UnreachableNamespace} ended.
 *
 * @param command the command as run, program first
 * @param exitCode its exit status
 * @param output what it wrote to standard output and standard error, interleaved
 */
public record CommandResult(List<String> command, int exitCode, String output) {

    public CommandResult {
        command = List.copyOf(command);
    }

    /** Returns whether it exited with status 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + ": exit " + exitCode + (output.isBlank() ? "" : ": " + output.strip());
    }
}
