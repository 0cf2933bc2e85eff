package io.telltale.server.lab.origin;

import io.netty.util.NetUtil;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A Linux network namespace with only {@code lo} up in which two loopback ranges are unreachable, so that
 * a connect fails with the kernel's own EHOSTUNREACH or ENETUNREACH and no packet leaves the namespace.
 *
 * <p>The {@code local} routing table is consulted at rule preference 0 and holds all of 127.0.0.0/8, so a
 * rule for a loopback range only takes effect once that rule moves behind it (here to preference 100).
 * {@value #HOST_UNREACHABLE_RANGE} then hits an {@code unreachable} route in table 100 (EHOSTUNREACH) and
 * {@value #NETWORK_UNREACHABLE_RANGE} a rule whose action is {@code unreachable} (ENETUNREACH); the rest of
 * 127.0.0.0/8 stays local. Creating a namespace needs root (CAP_SYS_ADMIN), Linux and iproute2's
 * {@code ip}; {@link #whyUnavailable()} says which is missing.
 */
public final class UnreachableNamespace implements AutoCloseable {
    /** Connects to this range fail with EHOSTUNREACH (an {@code unreachable} route). */
    public static final String HOST_UNREACHABLE_RANGE = "127.77.0.0/16";
    /** Connects to this range fail with ENETUNREACH (a rule with the {@code unreachable} action). */
    public static final String NETWORK_UNREACHABLE_RANGE = "127.78.0.0/16";
    /** An address in {@link #HOST_UNREACHABLE_RANGE}. */
    public static final InetAddress HOST_UNREACHABLE = NetUtil.createInetAddressFromIpAddressString("127.77.0.1");
    /** An address in {@link #NETWORK_UNREACHABLE_RANGE}. */
    public static final InetAddress NETWORK_UNREACHABLE = NetUtil.createInetAddressFromIpAddressString("127.78.0.1");

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String ip;
    private final String name;
    private final Thread cleanupAtExit;

    private UnreachableNamespace(String ip, String name) {
        this.ip = ip;
        this.name = name;
        this.cleanupAtExit = new Thread(this::delete, "telltale-netns-cleanup");
    }

    /** Returns why a namespace cannot be made here (not Linux, not root, no {@code ip}), or empty when it can. */
    public static Optional<String> whyUnavailable() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("os.name: " + os + " (expected: Linux, for network namespaces)");
        }
        int uid = uid();
        if (uid != 0) {
            return Optional.of("uid: " + uid + " (expected: 0, creating a network namespace needs root)");
        }
        if (findIp().isEmpty()) {
            return Optional.of("ip: not found on PATH, /usr/sbin or /sbin (expected: iproute2 installed)");
        }
        return Optional.empty();
    }

    /**
     * Creates the namespace and its routes; it is deleted by {@link #close()} or, failing that, when the JVM exits.
     *
     * @throws IOException when it is unavailable here or a setup command fails (the message quotes it)
     */
    public static UnreachableNamespace create() throws IOException {
        Optional<String> why = whyUnavailable();
        if (why.isPresent()) {
            throw new IOException("network namespace unavailable: " + why.get());
        }
        String name = "telltale-unreach-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        UnreachableNamespace ns = new UnreachableNamespace(findIp().orElseThrow(), name);
        ns.host("netns", "add", name);
        Runtime.getRuntime().addShutdownHook(ns.cleanupAtExit);
        try {
            ns.host("-n", name, "link", "set", "lo", "up");
            ns.host("-n", name, "route", "add", "unreachable", HOST_UNREACHABLE_RANGE, "table", "100");
            ns.host("-n", name, "rule", "add", "to", HOST_UNREACHABLE_RANGE, "lookup", "100", "pref", "10");
            ns.host("-n", name, "rule", "add", "to", NETWORK_UNREACHABLE_RANGE, "unreachable", "pref", "11");
            ns.host("-n", name, "rule", "add", "lookup", "local", "pref", "100");
            ns.host("-n", name, "rule", "del", "pref", "0");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Returns the namespace's name, as {@code ip netns} lists it. */
    public String name() {
        return name;
    }

    /**
     * Runs a command inside the namespace ({@code ip netns exec}) and waits for it.
     *
     * @throws IOException when it cannot be started or does not exit within the timeout (it is then killed)
     */
    public CommandResult exec(Duration timeout, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", name));
        full.addAll(command);
        return run(full, timeout);
    }

    /**
     * Runs a Java main class inside the namespace with this JVM's {@code java} and class path.
     *
     * @throws IOException when it cannot be started or does not exit within the timeout (it is then killed)
     */
    public CommandResult execJava(Duration timeout, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return exec(timeout, command);
    }

    /** Deletes the namespace. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException exiting) {
            // The hook is running or about to: it deletes the namespace.
            return;
        }
        delete();
    }

    private void delete() {
        try {
            run(List.of(ip, "netns", "delete", name), SETUP_TIMEOUT);
        } catch (IOException ignored) {
            // Nothing more can be done at shutdown; `ip netns list` shows a leftover.
        }
    }

    private void host(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(args));
        CommandResult result = run(command, SETUP_TIMEOUT);
        if (!result.succeeded()) {
            throw new IOException("network namespace setup failed: " + result);
        }
    }

    private static CommandResult run(List<String> command, Duration timeout) throws IOException {
        Path output = Files.createTempFile("telltale-netns-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile()).start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + ": still running after " + timeout + " (killed)");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(String.join(" ", command) + ": interrupted (killed)");
            }
            return new CommandResult(command, process.exitValue(),
                    new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int uid() {
        try {
            // /proc/self belongs to the process's effective user.
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    private static Optional<String> findIp() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "ip"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
