package io.telltale.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {
    private static final Path EXAMPLE = RepositoryRoot.find().resolve("config/gateway.example.yaml");

    @Test
    void exampleLoadsWithoutProblems() {
        GatewayConfig config = ConfigLoader.load(EXAMPLE);

        assertThat(config.sites()).extracting(SiteConfig::name).containsExactly("www", "api");
        assertThat(config.sites().get(0).hosts()).contains("*.static.example.com");
        OriginConfig api = config.sites().get(1).origins().get(0);
        assertThat(api.protocol()).isEqualTo(OriginProtocol.HTTPS_ONLY);
        assertThat(api.caBundle()).isNull();
    }

    @Test
    void exampleSetsEveryKeyOfServerAndOrigin() throws Exception {
        String example = Files.readString(EXAMPLE);

        for (Class<?> type : List.of(ServerConfig.class, LimitsConfig.class, DnsConfig.class, OriginConfig.class,
                SiteCacheConfig.class)) {
            List<String> absent = Arrays.stream(type.getRecordComponents()).map(c -> c.getName())
                    .filter(name -> !example.contains(name + ":"))
                    .collect(Collectors.toList());
            assertThat(absent).as(type.getSimpleName() + " keys missing from the example").isEmpty();
        }
    }

    @Test
    void exampleCommentsTheCaBundleOfItsHttpsOnlyOrigin() throws Exception {
        assertThat(Files.readString(EXAMPLE)).contains("# caBundle: ");
    }
}
