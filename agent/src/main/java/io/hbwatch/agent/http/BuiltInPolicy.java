package io.hbwatch.agent.http;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * The built-in Jolokia access policy, in code: read the attributes of {@code hbwatch:*} and {@code
 * java.lang:*} MBeans, exec {@code ping} on {@code hbwatch:type=Heartbeat}, ask for the {@code
 * version}; nothing else. It answers every question exactly as Jolokia's {@code PolicyRestrictor}
 * answers it for {@code docs/jolokia-access.xml} (a test holds the two side by side), without the
 * XML parser: reading that file at start-up loaded about 170 {@code java.xml} classes and their
 * allocations into every host that keeps the default. A {@code jolokiaPolicy=FILE} still goes to
 * Jolokia's own {@code PolicyRestrictor}.
 *
 * <p>Public only because Jolokia creates it by name ({@code restrictorClass}); not an API.
 * Immutable and thread-safe.
 */
public final class BuiltInPolicy implements Restrictor {
    /** The one origin whose pages may read answers (the endpoint's own default, which serves no page). */
    static final String ORIGIN = "http://127.0.0.1:8778";

    private static final ObjectName HEARTBEAT = name("hbwatch:type=Heartbeat");
    private static final ObjectName HBWATCH = name("hbwatch:*");
    private static final ObjectName JAVA_LANG = name("java.lang:*");

    /** Called by Jolokia ({@code restrictorClass}). */
    public BuiltInPolicy() {}

    /** Both GET and POST: the policy has no {@code <http>} section. */
    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return true;
    }

    /**
     * Only {@code version} is allowed on its own; {@code read} and {@code exec} are allowed only
     * where the attribute and operation checks below say.
     */
    @Override
    public boolean isTypeAllowed(RequestType type) {
        return type == RequestType.VERSION;
    }

    /**
     * Any attribute of {@code hbwatch:type=Heartbeat} or of an MBean in the {@code hbwatch} or
     * {@code java.lang} domain.
     */
    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return attribute != null && listed(name) && anyName(attribute) && !revealing(attribute);
    }

    /**
     * Attributes that show the JVM's command line, its system properties or its paths, where
     * passwords and keys are often passed ({@code -Dsecret=}, {@code jolokiaPassword=}): never
     * read, on whichever MBean (the platform's {@code Runtime}, or a look-alike in an allowed
     * domain). The environment is not an attribute of any platform MBean.
     */
    static boolean revealing(String attribute) {
        switch (attribute) {
            case "InputArguments":
            case "SystemProperties":
            case "ClassPath":
            case "BootClassPath":
            case "LibraryPath":
            case "VmArguments":
            case "DiagnosticOptions":
                return true;
            default:
                return false;
        }
    }

    /** Never: no attribute may be written. */
    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    /** Only {@code ping} on {@code hbwatch:type=Heartbeat}. */
    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return "ping".equals(operation) && HEARTBEAT.equals(name);
    }

    /** From any address the endpoint is reachable from: the policy has no {@code <remote>} section. */
    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true;
    }

    /**
     * A request without {@code Origin} passes (curl, the monitor); one with an origin passes only
     * for {@link #ORIGIN}, so that Jolokia sends no {@code Access-Control-Allow-Origin} a web page
     * could use. No strict checking: its checks pass.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return onlyWhenStrictCheckingIsEnabled || origin == null || ORIGIN.equals(origin);
    }

    /** None: {@code list} and {@code search} are refused whole, nothing needs hiding. */
    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return false;
    }

    @Override
    public boolean ignoreScheme() {
        return false;
    }

    /**
     * Whether the policy has an entry for this name, as Jolokia looks one up: the exact name first
     * (the patterns themselves are entries too), then a pattern that matches it.
     */
    private static boolean listed(ObjectName name) {
        return HEARTBEAT.equals(name)
                || HBWATCH.equals(name)
                || JAVA_LANG.equals(name)
                || HBWATCH.apply(name)
                || JAVA_LANG.apply(name);
    }

    /**
     * How Jolokia's policy matches {@code <attribute>*</attribute>}: the name against the regular
     * expression {@code .*}, whose {@code .} (no DOTALL) matches anything but a line terminator.
     * Checked by hand: this runs for every attribute of every read, and a regex allocates.
     */
    private static boolean anyName(String attribute) {
        for (int i = 0; i < attribute.length(); i++) {
            switch (attribute.charAt(i)) {
                case '\n':
                case '\r':
                case '\u0085':
                case '\u2028':
                case '\u2029':
                    return false;
                default:
                    break;
            }
        }
        return true;
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
