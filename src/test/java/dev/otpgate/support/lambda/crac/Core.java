package dev.otpgate.support.lambda.crac;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** See {@link Resource}: the global context; checkpointRestore runs the hooks as a snapshot and restore would. */
public final class Core {

    private static final Global GLOBAL = new Global();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    public static void checkpointRestore() throws CheckpointException, RestoreException {
        List<Resource> resources;
        synchronized (GLOBAL.resources) {
            resources = new ArrayList<>(GLOBAL.resources);
        }
        Collections.reverse(resources); // beforeCheckpoint: last registered first, as CRaC does
        for (Resource r : resources) {
            try {
                r.beforeCheckpoint(GLOBAL);
            } catch (Exception e) {
                throw new CheckpointException(e);
            }
        }
        Collections.reverse(resources);
        for (Resource r : resources) {
            try {
                r.afterRestore(GLOBAL);
            } catch (Exception e) {
                throw new RestoreException(e);
            }
        }
    }

    private static final class Global extends Context<Resource> {
        final List<Resource> resources = new ArrayList<>();

        @Override
        public void register(Resource resource) {
            synchronized (resources) {
                resources.add(resource);
            }
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
        }
    }
}
