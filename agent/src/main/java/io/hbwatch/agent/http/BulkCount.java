package io.hbwatch.agent.http;

/**
 * Counts the requests of a Jolokia POST body without parsing it: the objects directly inside a
 * top-level JSON array (one for a single object). A scan of the bytes that allocates nothing and
 * knows strings and escapes, so that a brace inside a string does not count. Malformed bodies
 * get some count; Jolokia refuses them itself.
 */
final class BulkCount {
    private BulkCount() {}

    static int of(byte[] body) {
        int depth = 0;
        int count = 0;
        boolean inString = false;
        boolean array = false;
        boolean started = false;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            switch (b) {
                case '"':
                    inString = true;
                    break;
                case '[':
                case '{':
                    if (!started) {
                        started = true;
                        array = b == '[';
                        if (!array) {
                            return 1;
                        }
                    } else if (depth == 1 && b == '{') {
                        count++;
                    }
                    depth++;
                    break;
                case ']':
                case '}':
                    depth--;
                    break;
                default:
                    break;
            }
        }
        return array ? count : 1;
    }
}
