package io.telltale.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code telltale} command: the gateway's entry point and the parent of its subcommands. */
@Command(name = "telltale",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "An edge reverse proxy that explains every failure it cannot serve.",
        subcommands = {RunCommand.class, LabCommand.class, CheckConfigCommand.class, ExplainCommand.class, DiagnoseCommand.class,
            VersionCommand.class, PreflightCommand.class})
public final class TelltaleCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // dnsjava checks its query timeouts only this often (default 1 s): set before any resolver starts.
        if (System.getProperty("dnsjava.nio.selector_timeout") == null) {
            System.setProperty("dnsjava.nio.selector_timeout", "20");
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TelltaleCommand());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
