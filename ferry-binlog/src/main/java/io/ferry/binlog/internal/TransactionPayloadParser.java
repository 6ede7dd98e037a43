package io.ferry.binlog.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.ferry.core.RunFailed;
import java.io.IOException;
import java.util.ArrayList;

/**
 * Decodes a MySQL TRANSACTION_PAYLOAD event ({@code binlog_transaction_compression=ON}): one whole transaction, its
 * events compressed together. The inner events are decoded by {@code inner}, ferry's own deserializers sharing the
 * table maps of the stream, so their rows come out exactly as outside a payload. (The library's own payload
 * deserializer would decode them with its default row decoders instead.)
 *
 * <p>Layout (MySQL {@code libbinlogevents/include/control_events.h}, {@code Transaction_payload_event}): header
 * fields, each a packed type, a packed length and a packed value, up to an end mark of type 0; then the payload.
 * Inner events carry no checksum. Compression types ({@code libbinlogevents/include/compression/base.h}): 0 ZSTD,
 * 255 NONE.
 */
final class TransactionPayloadParser implements EventDataDeserializer<TransactionPayloadEventData> {
    private static final int END_MARK = 0;
    private static final int PAYLOAD_SIZE = 1;
    private static final int COMPRESSION_TYPE = 2;
    private static final int UNCOMPRESSED_SIZE = 3;
    private static final int ZSTD = 0;
    private static final int NONE = 255;
    /** The largest array a JVM allocates. */
    private static final long MAX_SIZE = Integer.MAX_VALUE - 8;

    private final EventDeserializer inner;

    /** @param inner decodes the inner events; it must not know TRANSACTION_PAYLOAD itself (payloads do not nest) */
    TransactionPayloadParser(EventDeserializer inner) {
        this.inner = inner;
    }

    @Override
    public TransactionPayloadEventData deserialize(ByteArrayInputStream in) throws IOException {
        long payloadSize = -1;
        long compression = NONE; // MySQL's default when the field is absent
        long uncompressedSize = -1;
        while (in.available() > 0) {
            int type = in.readPackedInteger();
            if (type == END_MARK) {
                break;
            }
            int length = in.readPackedInteger();
            switch (type) {
                case PAYLOAD_SIZE -> payloadSize = packedValue(in, length);
                case COMPRESSION_TYPE -> compression = packedValue(in, length);
                case UNCOMPRESSED_SIZE -> uncompressedSize = packedValue(in, length);
                default -> in.skip(length); // a field of a later server version
            }
        }
        if (payloadSize < 0 || payloadSize != in.available()) {
            throw new IOException("transaction payload of " + in.available() + " bytes, header says " + payloadSize);
        }
        byte[] stored = in.read((int) payloadSize);
        byte[] events = switch ((int) compression) {
            case ZSTD -> decompress(stored, uncompressedSize);
            case NONE -> stored;
            default -> throw new RunFailed("the source compressed a binlog transaction with compression type "
                    + compression + ", which ferry cannot read (it reads ZSTD); set binlog_transaction_compression=OFF"
                    + " on the source");
        };
        var transaction = new TransactionPayloadEventData();
        transaction.setCompressionType((int) compression);
        transaction.setPayloadSize((int) payloadSize);
        transaction.setUncompressedSize(events.length);
        var decoded = new ArrayList<Event>();
        var stream = new ByteArrayInputStream(events);
        while (stream.peek() != -1) {
            decoded.add(inner.nextEvent(stream));
        }
        transaction.setUncompressedEvents(decoded);
        return transaction;
    }

    /** A header value: a packed integer taking {@code length} bytes. */
    private static long packedValue(ByteArrayInputStream in, int length) throws IOException {
        int before = in.available();
        long value = in.readPackedLong();
        int used = before - in.available();
        if (used < length) {
            in.skip(length - used);
        }
        return value;
    }

    private static byte[] decompress(byte[] stored, long uncompressedSize) throws IOException {
        long size = uncompressedSize >= 0 ? uncompressedSize : Zstd.decompressedSize(stored);
        if (size > MAX_SIZE) {
            throw new RunFailed("the source logged a compressed binlog transaction of " + size + " bytes"
                    + " uncompressed, more than ferry can hold in memory (" + MAX_SIZE + "); set"
                    + " binlog_transaction_compression=OFF on the source or split the transaction");
        }
        try {
            byte[] out = Zstd.decompress(stored, (int) size);
            if (out.length != size) {
                throw new IOException("transaction payload decompressed to " + out.length + " bytes, header says " + size);
            }
            return out;
        } catch (ZstdException e) {
            throw new IOException("cannot decompress a transaction payload: " + e.getMessage(), e);
        }
    }
}
