package io.hbwatch.examples;

/** The command line of {@link OrdersApp}, parsed strictly: a bad value names the option. */
final class Options {
    int port = 8080;
    String host = "127.0.0.1";
    int workers = 2;
    int loadPerSecond;
    String urlFile;
    boolean help;

    private Options() {}

    /** @throws IllegalArgumentException naming the option and the bad value */
    static Options parse(String... args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                o.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        name.startsWith("--") ? name + " needs a value" : "unexpected argument '" + name + "'");
            }
            String value = args[++i];
            switch (name) {
                case "--port":
                    o.port = number(name, value, 0, 65535);
                    break;
                case "--host":
                    o.host = value;
                    break;
                case "--workers":
                    o.workers = number(name, value, 1, 256);
                    break;
                case "--load":
                    o.loadPerSecond = number(name, value, 0, 1000);
                    break;
                case "--url-file":
                    o.urlFile = value;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        return o;
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(name + ": '" + value + "' is not a number from " + min + " to " + max);
    }
}
