package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The shared JSON codec: any text parses or is refused; whatever is written parses back as it was. */
class JsonFuzzTest {
    @Property
    void anyTextIsAnObjectOrARefusal(@ForAll @Size(max = 600) String text) {
        try {
            JsonParser.parseObject(text);
        } catch (JsonParser.JsonException e) {
            // refused: fine
        }
    }

    @Property
    void nestedTextIsBoundedByDepth(@ForAll @Size(max = 200) String inner) {
        String deep = "{\"a\":".repeat(100) + JsonLine.quote(inner) + "}".repeat(100);
        try {
            JsonParser.parseObject(deep);
        } catch (JsonParser.JsonException e) {
            // too deep: refused, not a stack overflow
        }
    }

    @Property
    void whatIsWrittenIsReadBack(@ForAll String name, @ForAll String value, @ForAll long number) {
        String line = new JsonLine()
                .field("s", value)
                .field("n", number)
                .field("k", name)
                .toJson();
        Map<String, Object> back;
        try {
            back = JsonParser.parseObject(line);
        } catch (JsonParser.JsonException e) {
            throw new AssertionError(line, e);
        }
        assertEquals(value, back.get("s"));
        assertEquals(number, back.get("n"));
        assertEquals(name, back.get("k"));
    }

    @Property
    void fieldByFieldIsTheObjectOrTheSameRefusal(
            @ForAll @Size(max = 300) String text, @ForAll String name, @ForAll long number, @ForAll boolean cut) {
        String written = new JsonLine()
                .field("s", text)
                .field("n", number)
                .field(name, name)
                .field("n", -number)
                .toJson();
        for (String line : new String[] {text, cut ? written.substring(0, written.length() / 2) : written}) {
            String objectRefusal = null;
            Map<String, Object> object = null;
            try {
                object = JsonParser.parseObject(line);
            } catch (JsonParser.JsonException e) {
                objectRefusal = e.getMessage();
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            String fieldsRefusal = null;
            try {
                JsonParser.parseFields(line, fields::put);
            } catch (JsonParser.JsonException e) {
                fieldsRefusal = e.getMessage();
            }
            assertEquals(objectRefusal, fieldsRefusal, line);
            if (objectRefusal == null) {
                assertEquals(object, fields, line);
                assertEquals(List.copyOf(object.keySet()), List.copyOf(fields.keySet()), line);
            }
        }
    }
}
