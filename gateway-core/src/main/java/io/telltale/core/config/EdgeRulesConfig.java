package io.telltale.core.config;

import java.util.List;

/**
 * A site's header rules.
 *
 * @param viewerRequest rules applied to the request before it goes to the origin
 * @param originResponse rules applied to the origin's response before it goes to the client
 */
public record EdgeRulesConfig(List<EdgeRule> viewerRequest, List<EdgeRule> originResponse) {
}
