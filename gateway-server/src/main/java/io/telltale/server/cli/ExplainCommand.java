package io.telltale.server.cli;

import io.telltale.core.failure.CodeLookup;
import io.telltale.core.failure.ErrorResponseRenderer;
import io.telltale.core.failure.FailureCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a failure catalogue entry, or the whole catalogue, for a terminal. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain an error code (e.g. NonS3OriginDnsError); an unknown code or an edge number such as 522 lists the nearest codes.")
public final class ExplainCommand implements Callable<Integer> {
    /** The exit code for an unknown code. */
    public static final int UNKNOWN_CODE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CODE", description = "The code from X-Gateway-Error-Code.")
    String code;

    @Option(names = "--list", description = "List every code with its status, edge number, phase and title.")
    boolean list;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (list || code == null) {
                printList(out);
                return 0;
            }
            FailureCode entry = FailureCode.byCode(code);
            if (entry == null) {
                out.println("Unknown error code: " + code);
                out.println("Nearest codes: " + String.join(", ", CodeLookup.nearest(code, 3)));
                out.println("Run 'telltale explain --list' to see every code.");
                return UNKNOWN_CODE;
            }
            out.print(ErrorResponseRenderer.explain(entry));
            return 0;
        } finally {
            out.flush();
        }
    }

    private static void printList(PrintWriter out) {
        out.println(String.format("%-36s %-6s %-5s %-10s %s", "CODE", "STATUS", "EDGE", "PHASE", "TITLE"));
        for (FailureCode c : FailureCode.values()) {
            out.println(String.format("%-36s %-6d %-5s %-10s %s", c.code(), c.status(),
                    c.edgeNumber() == null ? "-" : c.edgeNumber(), c.phase().label(), c.title()));
        }
    }
}
