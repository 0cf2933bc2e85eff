package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The HTML error page as a person sees it: real failures on loopback (a refused port, a certificate that
 * expired, a resolver answering SERVFAIL) through the running gateway, loaded by Debian's headless Chromium
 * at desktop and phone widths.
 *
 * <p>Chromium is told to resolve only the test's own names (to 127.0.0.1) and to send everything else to a
 * closed loopback proxy, with its background networking off, so nothing it does leaves the machine.
 */
class ErrorPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int DESKTOP = 1280;
    private static final int PHONE = 360;
    private static final Path SCREENSHOT = Path.of("..", "docs", "images", "error-page-expired-certificate.png");

    @TempDir
    static Path dir;

    private static LabPki pki;
    private static TlsOrigin expiredOrigin;
    private static LabDnsServer dns;
    private static GatewayFixture gateway;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless browser here: install Debian's chromium and chromium-driver (.ci/run does) to check the error page");
        pki = LabPki.create(Clock.systemUTC());
        String caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        expiredOrigin = new TlsOrigin(pki, TlsFault.EXPIRED, "shop.page.test").start();
        int refused = closedPort();
        dns = LabDnsServer.builder().zone("""
                $ORIGIN page.test.
                $TTL 300
                @        3600 IN SOA ns.page.test. hostmaster.page.test. 2026120101 3600 600 86400 60
                @             IN NS  ns
                ns            IN A   127.0.0.1
                app           IN A   127.0.0.1
                shop          IN A   127.0.0.1
                broken        IN A   127.0.0.1
                ;@fault broken SERVFAIL 22 no reachable authority for broken.page.test
                """).start();
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 500ms
                  attempts: 1
                  authoritativePort: %d
                  diagnosisBudget: 1s
                sites:
                %s%s%s%s""".formatted(dns.resolverLiteral(), dns.port(),
                site("refused", "app.page.test", "httpPort: " + refused).indent(2),
                site("public", "app.page.test", "httpPort: " + refused, "public").indent(2),
                site("expired", "shop.page.test", "protocol: https-only\nhttpsPort: " + expiredOrigin.port()
                        + "\ncaBundle: " + caBundle).indent(2),
                site("servfail", "broken.page.test", "httpPort: 8080").indent(2)));
        browser = startBrowser();
    }

    private static String site(String name, String originHost, String originExtra) {
        return site(name, originHost, originExtra, "full");
    }

    private static String site(String name, String originHost, String originExtra, String detail) {
        return """
                - name: %s
                  hosts: [%s.site.test]
                  detail: %s
                  cache: {errorTtl: 0s}
                  allowedOriginNetworks: [127.0.0.0/8]
                  origins:
                    - host: %s
                      connectTimeout: 2s
                      responseTimeout: 2s
                %s""".formatted(name, name, detail, originHost, originExtra.indent(6));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return s.getLocalPort();
        }
    }

    private static ChromeDriver startBrowser() {
        ChromeOptions options = new ChromeOptions();
        // Both paths given, Selenium Manager has nothing to look up or download.
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                "--metrics-recording-only", "--dns-prefetch-disable", "--hide-scrollbars",
                "--host-resolver-rules=MAP *.site.test 127.0.0.1, MAP * ~NOTFOUND",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=*.site.test",
                "--window-size=" + DESKTOP + ",900", "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (expiredOrigin != null) {
            expiredOrigin.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    /** Loads a site's error page at a width, after checking the page fits that width. */
    private static void open(String site, int width) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", width == PHONE ? 780 : 900, "deviceScaleFactor", 1, "mobile", width == PHONE));
        browser.get("http://" + site + ".site.test:" + gateway.port() + "/");
        assertThat(browser.executeScript("return window.innerWidth")).isEqualTo((long) width);
        Map<?, ?> size = (Map<?, ?>) browser.executeScript(
                "const d = document.documentElement; return {scroll: d.scrollWidth, client: d.clientWidth};");
        assertThat((Long) size.get("scroll")).as("%s page at %d px overflows", site, width)
                .isLessThanOrEqualTo((Long) size.get("client"));
        assertThat(browser.executeScript("return performance.getEntriesByType('resource').map(r => r.name).join(' ')"))
                .as("the page fetches nothing").isEqualTo("");
        String text = browser.findElement(By.tagName("body")).getText();
        assertThat(text).doesNotContain("Exception").doesNotContain("java.").doesNotContain("`");
        keepWholePage(site, width);
    }

    /** Keeps a picture of the whole page in target/error-pages, for a person to look at after the run. */
    private static void keepWholePage(String site, int width) {
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width == PHONE));
        try {
            Path file = Path.of("target", "error-pages", site + "-" + width + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", width, "height", width == PHONE ? 780 : 900, "deviceScaleFactor", 1, "mobile", width == PHONE));
        }
    }

    private static String whatHappened() {
        return browser.findElement(By.id("what-happened")).getText();
    }

    private static WebElement failedStep() {
        List<WebElement> failed = browser.findElements(By.cssSelector("ol.waterfall li.failed"));
        assertThat(failed).hasSize(1);
        return failed.get(0);
    }

    @Test
    void refusedPortPageNamesThePortAndMarksTcpAtBothWidths() {
        for (int width : new int[] {DESKTOP, PHONE}) {
            open("refused", width);

            assertThat(browser.getTitle()).contains("521");
            assertThat(whatHappened()).startsWith("app.page.test (127.0.0.1) refused the gateway's connection to port ")
                    .doesNotContain(browser.findElement(By.tagName("h1")).getText());
            assertThat(failedStep().getAttribute("data-step")).isEqualTo("tcp");
            assertThat(failedStep().getText()).contains("TCP connect", "failed after", "ms");
            assertThat(browser.findElement(By.cssSelector(".strip .step.failed")).getText()).startsWith("TCP");
            assertThat(browser.findElements(By.cssSelector("ol.steps-to-fix pre.cmd code")))
                    .extracting(WebElement::getText).anyMatch(c -> c.startsWith("nc -vz 127.0.0.1 "));
        }
    }

    @Test
    void expiredCertificatePageShowsTheChainAsCardsAndWritesTheScreenshot() throws IOException {
        for (int width : new int[] {PHONE, DESKTOP}) {
            open("expired", width);

            assertThat(whatHappened()).matches("The certificate of shop\\.page\\.test expired on \\d{1,2} \\w{3} \\d{4} at "
                    + "\\d{2}:\\d{2} UTC, \\d+ (day|hour|minute|second)s? ago\\.");
            assertThat(failedStep().getAttribute("data-step")).isEqualTo("tls");
            List<WebElement> cards = browser.findElements(By.cssSelector("ol.chain li.cert"));
            assertThat(cards).hasSizeGreaterThanOrEqualTo(2);
            assertThat(cards.get(0).getAttribute("class")).contains("failed");
            assertThat(cards.get(0).getText()).contains("LEAF", "shop.page.test", "expired on");
            assertThat(cards.get(0).findElements(By.cssSelector(".validity .now"))).hasSize(1);
            assertThat(cards.subList(1, cards.size())).allMatch(c -> !c.getAttribute("class").contains("failed"));
            assertThat(browser.findElements(By.cssSelector("pre.cmd code"))).extracting(WebElement::getText)
                    .anyMatch(c -> c.startsWith("openssl s_client -connect shop.page.test:"));
        }
        // The README shows the desktop page down to the certificate cards; -Dtelltale.regenerateDocs=true refreshes it.
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", DESKTOP, "height", 1560, "deviceScaleFactor", 1, "mobile", false));
        byte[] shot = browser.getScreenshotAs(OutputType.BYTES);
        assertThat(shot.length).isGreaterThan(10_000);
        Path copy = Path.of("target", "error-pages", SCREENSHOT.getFileName().toString());
        Files.createDirectories(copy.getParent());
        Files.write(copy, shot);
        if (Boolean.getBoolean("telltale.regenerateDocs")) {
            Files.write(SCREENSHOT, shot);
        }
    }

    @Test
    void servfailPageShowsTheDelegationTableAndMarksDns() {
        for (int width : new int[] {DESKTOP, PHONE}) {
            open("servfail", width);

            assertThat(whatHappened()).contains("SERVFAIL", "broken.page.test");
            assertThat(failedStep().getAttribute("data-step")).isEqualTo("dns");
            assertThat(browser.findElements(By.cssSelector("ol.waterfall li.not-reached"))).hasSize(3);
            assertThat(browser.findElement(By.cssSelector("table.delegation")).getText()).contains("ns.page.test");
        }
    }

    @Test
    void publicVisitorsGetTheMeaningWithoutEvidence() {
        open("public", PHONE);

        assertThat(browser.findElements(By.cssSelector("section.evidence"))).isEmpty();
        assertThat(whatHappened()).doesNotContain("127.0.0.1").doesNotContain("app.page.test");
        assertThat(browser.findElement(By.cssSelector(".strip .step.failed")).getText()).startsWith("TCP");
    }
}
