package io.telltale.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** HTTP/2 frames written and read by hand on a plain socket (prior knowledge), to break the rules on purpose. */
final class RawH2 implements AutoCloseable {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 1;
    static final int END_HEADERS = 4;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    /** One frame as read. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        /** Returns the error code of a RST_STREAM or GOAWAY frame. */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        /** Returns a RST_STREAM or GOAWAY frame as a person reads it: its stream, error name and debug data. */
        String describe() {
            String error = Http2Error.valueOf(errorCode()).name();
            if (type != GOAWAY) {
                return "RST_STREAM stream=" + stream + " error=" + error;
            }
            int lastStream = ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
            String debug = new String(payload, 8, payload.length - 8, StandardCharsets.US_ASCII);
            return "GOAWAY last-stream-id=" + lastStream + " error=" + error + (debug.isEmpty() ? "" : " debug=\"" + debug + "\"");
        }
    }

    RawH2(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        out.write(ByteBufUtil.getBytes(preface));
        preface.release();
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Returns a request's header fields for this method and path at {@code www.test}. */
    static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("www.test");
    }

    /** Returns the HPACK block of some header fields. */
    byte[] block(int stream, Http2Headers headers) throws Http2Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Sends a whole header section in one HEADERS frame. */
    void headers(int stream, Http2Headers headers, boolean endStream) throws IOException, Http2Exception {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block(stream, headers));
    }

    /** Sends one frame. */
    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream};
        out.write(head);
        out.write(payload);
        out.flush();
    }

    /** Reads frames until one of this type arrives; fails when the connection ends first. */
    Frame await(int type) throws IOException {
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int frameType = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (frameType == type) {
                return new Frame(frameType, flags, stream, payload);
            }
        }
    }

    /** Returns the header fields of a HEADERS frame that carries a whole section. */
    Http2Headers decode(Frame headers) throws Http2Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(headers.payload());
        try {
            return decoder.decodeHeaders(headers.stream(), buf);
        } finally {
            buf.release();
        }
    }

    /** Returns whether the gateway closed the connection (after what it sent was read). */
    boolean closedByPeer() throws IOException {
        try {
            while (in.read() >= 0) {
                // Drain what is left.
            }
            return true;
        } catch (EOFException | SocketException e) {
            // A reset is a close too: the gateway closed with frames of ours unread.
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
