package io.telltale.server;

import io.telltale.server.admin.AdminView;
import java.util.concurrent.atomic.AtomicBoolean;

/** The admin API's view of a running gateway. */
final class GatewayAdminView implements AdminView {
    private final Gateway gateway;
    private final AtomicBoolean draining;

    GatewayAdminView(Gateway gateway, AtomicBoolean draining) {
        this.gateway = gateway;
        this.draining = draining;
    }

    @Override
    public boolean ready() {
        return !draining.get();
    }

    @Override
    public String metrics() {
        return gateway.metrics().scrape();
    }
}
