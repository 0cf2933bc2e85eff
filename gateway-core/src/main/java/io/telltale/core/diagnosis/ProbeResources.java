package io.telltale.core.diagnosis;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.telltale.core.tls.OriginTlsContexts;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What every probe of one {@link OriginProbe} shares.
 *
 * @param group the event loops the probe connections run on
 * @param channelType the socket channel class matching the group's transport
 * @param dnsExecutor the threads DNS replies are handled on
 * @param tls the origin TLS contexts (trust, SNI, verification, failure classification)
 * @param clock judges certificate validity and stamps the report
 * @param authoritativePorts the port the delegation diagnosis asks each authoritative server on
 */
record ProbeResources(EventLoopGroup group, Class<? extends SocketChannel> channelType, Executor dnsExecutor,
        OriginTlsContexts tls, Clock clock, Function<InetAddress, Integer> authoritativePorts) {
}
