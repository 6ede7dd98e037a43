package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Reads the 19-byte v4 event header as the library does, but keeps the type code of types the library does not
 * know (it turns them all into {@link EventType#UNKNOWN}), so an unknown event can be named when ferry refuses it.
 * Layout (MySQL {@code libbinlogevents/include/binlog_event.h}, {@code LOG_EVENT_HEADER_LEN}): timestamp 4,
 * type 1, server id 4, event length 4, end position 4, flags 2.
 */
final class EventHeaderParser implements EventHeaderDeserializer<EventHeaderParser.Header> {

    /** A v4 header plus the event's type code as the server sent it. */
    static final class Header extends EventHeaderV4 {
        private int typeCode;

        int typeCode() {
            return typeCode;
        }
    }

    @Override
    public Header deserialize(ByteArrayInputStream in) throws IOException {
        var header = new Header();
        header.setTimestamp(in.readLong(4) * 1000L);
        header.typeCode = in.readInteger(1);
        EventType type = EventType.byEventNumber(header.typeCode);
        header.setEventType(type == null ? EventType.UNKNOWN : type);
        header.setServerId(in.readLong(4));
        header.setEventLength(in.readLong(4));
        header.setNextPosition(in.readLong(4));
        header.setFlags(in.readInteger(2));
        return header;
    }
}
