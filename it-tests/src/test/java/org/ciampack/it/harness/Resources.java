package org.ciampack.it.harness;

/** Test resources (servers, databases) a class starts once and stops after its tests. */
public final class Resources {

    private Resources() {
    }

    /** Closes each resource that was started, in the order given; one that fails to close does not keep the rest. */
    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.err.println("[ciam-it] not closed cleanly: " + e.getMessage());
            }
        }
    }
}
