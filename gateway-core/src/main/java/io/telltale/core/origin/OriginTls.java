package io.telltale.core.origin;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.telltale.core.failure.Failure;

/** Creates the TLS handler for an origin connection and names why a handshake or first read failed. */
public interface OriginTls {
    /** Returns a client-side TLS handler for one connection to the target, SNI and verification set. */
    SslHandler newHandler(ByteBufAllocator alloc, OriginTarget target);

    /**
     * Classifies a TLS failure.
     *
     * @param cause what the handshake or first read failed with
     * @param handler the connection's TLS handler, whose engine saw the presented chain
     * @param target where the connection went
     * @param afterHandshake whether the handshake had completed (TLS 1.3 client-certificate rejections
     *     arrive on the first read)
     */
    Failure classify(Throwable cause, SslHandler handler, OriginTarget target, boolean afterHandshake);
}
